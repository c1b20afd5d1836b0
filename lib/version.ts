import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** The application version, from package.json (read once). */
export const APP_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(resolve(process.cwd(), "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
})();
