// Runs once when the Next.js server starts: in embedded mode, open (and migrate) the database now
// rather than on the first request, record this process as the owner of the data directory, and
// start the in-process job worker.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { databaseUrl } = await import("./lib/db/config");
  if (databaseUrl()) return;
  const { getDb } = await import("./lib/runtime/database");
  const { recordLocalServer } = await import("./lib/runtime/local-server");
  const db = await getDb();
  recordLocalServer(`http://localhost:${process.env.PORT ?? 3000}`);
  // No Edge Functions or cron here: this process drains the job queue itself, so an import or a
  // privacy change reaches taste vectors within seconds.
  const { startInProcessWorker } = await import("./lib/runtime/in-process-worker");
  startInProcessWorker(db);
}
