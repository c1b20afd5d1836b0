// npm run token -- <userId> | --new-user | --demo   [--role moderator] [--role staff]
// Prints a Supabase-style access token; with --new-user / --demo the last line is "<userId> <token>".
// Roles go into the token's app_metadata.mesh_roles, where Supabase keeps what only the service can set.
import { parseArgs } from "node:util";
import { localTokenRequest, type LocalTokenRequest, type LocalTokenResponse } from "../api/dev";
import { LOCAL_KEY_HEADER } from "../lib/runtime/local-key";
import { getDb } from "../lib/runtime/database";
import { databaseUrl } from "../lib/db/config";
import { localToolKey, runningLocalServer } from "../lib/runtime/local-server";
import { issueLocalToken } from "../lib/runtime/local-token";
import { runMain } from "./lib/main";

const USAGE = "usage: npm run token -- <userId (a uuid)> | --new-user | --demo  [--role moderator|staff]…";

function parseRequest(argv: string[]): LocalTokenRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "new-user": { type: "boolean" },
        demo: { type: "boolean" },
        role: { type: "string", multiple: true },
      },
    });
  } catch {
    parsed = null;
  }
  const { values, positionals } = parsed ?? { values: {}, positionals: [] };
  const mode = values["new-user"] ? "new-user" : values.demo ? "demo" : "user";
  const request = localTokenRequest.safeParse({ mode, userId: positionals[0], roles: values.role });
  if (!parsed || !request.success || positionals.length > (mode === "user" ? 1 : 0)) {
    const why =
      argv.length && request.error ? request.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) : [];
    console.error([USAGE, ...why].join("\n"));
    process.exit(2);
  }
  return request.data;
}

async function viaServer(url: string, request: LocalTokenRequest): Promise<LocalTokenResponse> {
  const res = await fetch(`${url}/api/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json", [LOCAL_KEY_HEADER]: localToolKey() },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as LocalTokenResponse & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `server answered ${res.status}`);
  return body;
}

await runMain("token", async () => {
  const request = parseRequest(process.argv.slice(2));
  // While the embedded server runs it owns the data directory: ask it instead of opening it.
  const server = databaseUrl() ? null : runningLocalServer();
  const issued = server ? await viaServer(server.url, request) : await issueLocalToken(await getDb(), request);
  console.log(request.mode === "user" ? issued.token : `${issued.userId} ${issued.token}`);
});
