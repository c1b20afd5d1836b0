// npm run openapi — writes docs/openapi.json from the contract (api/). A test fails while the
// committed copy differs from what the operations tables generate.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { format, resolveConfig } from "prettier";
import { openApiDocument } from "../api/openapi";
import { APP_VERSION } from "../lib/version";

const file = resolve(import.meta.dirname, "../docs/openapi.json");
const text = await format(JSON.stringify(openApiDocument(APP_VERSION)), {
  ...(await resolveConfig(file)),
  filepath: file,
});
writeFileSync(file, text);
console.log(`openapi: wrote ${file}`);
