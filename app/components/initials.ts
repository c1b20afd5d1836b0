/** Up to two initials for an avatar without a photo ("Ana María López" -> "AM"). */
export function initials(name: string): string {
  const letters = name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => Array.from(part)[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

/** A stable avatar colour per person, dark enough for white initials. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 55% 35%)`;
}
