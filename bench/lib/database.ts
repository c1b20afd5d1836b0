import postgres from "postgres";

/**
 * Benchmarks load, truncate and reuse tables freely, so on a real server they always work in a
 * database of their own (`mesh_bench`, or one named after it; created when missing), never in the one the URL names.
 */
export async function benchDatabase(url: string, name: string): Promise<string> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (!exists) await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
