// npm run token -- <userId> | --new-user | --demo
// Prints a Supabase-style access token; with --new-user / --demo the last line is "<userId> <token>".
import { getDb } from "../lib/db";
import { databaseUrl } from "../lib/db/config";
import { localToolKey, runningLocalServer } from "../lib/local-server";
import { issueLocalToken, localTokenRequest, type LocalTokenRequest } from "../lib/users/local-token";
import { runMain } from "./lib/main";

function parseArgs(argv: string[]): LocalTokenRequest {
  const [arg] = argv;
  if (arg === "--new-user") return { mode: "new-user" };
  if (arg === "--demo") return { mode: "demo" };
  const parsed = localTokenRequest.safeParse({ mode: "user", userId: arg });
  if (!parsed.success) {
    console.error("usage: npm run token -- <userId (a uuid)> | --new-user | --demo");
    process.exit(2);
  }
  return parsed.data;
}

async function viaServer(url: string, request: LocalTokenRequest) {
  const res = await fetch(`${url}/api/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-mesh-local-key": localToolKey() },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { userId: string; token: string; error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `server answered ${res.status}`);
  return body;
}

await runMain("token", async () => {
  const request = parseArgs(process.argv.slice(2));
  // While the embedded server runs it owns the data directory: ask it instead of opening it.
  const server = databaseUrl() ? null : runningLocalServer();
  const issued = server ? await viaServer(server.url, request) : await issueLocalToken(await getDb(), request);
  console.log(request.mode === "user" ? issued.token : `${issued.userId} ${issued.token}`);
});
