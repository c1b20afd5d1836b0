/** A batch of client events (an `open_profile` of someone per id) as the events route takes them. */
export function openProfileEvents(ids: readonly string[], now: Date) {
  return ids.map((id) => ({
    id,
    kind: "open_profile",
    targetType: "person",
    targetId: "someone",
    clientTime: now.toISOString(),
  }));
}
