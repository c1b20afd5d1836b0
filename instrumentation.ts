// Runs once when the Next.js server starts: in embedded mode, open (and migrate) the database now
// rather than on the first request, and record this process as the owner of the data directory.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { databaseUrl } = await import("./lib/db/config");
  if (databaseUrl()) return;
  const { getDb } = await import("./lib/db");
  const { recordLocalServer } = await import("./lib/local-server");
  await getDb();
  recordLocalServer(`http://localhost:${process.env.PORT ?? 3000}`);
}
