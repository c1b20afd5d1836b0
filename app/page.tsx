import { Carousel } from "@/app/components/Carousel";
import { RequireSession } from "@/app/components/RequireSession";
import { RoomsRow } from "@/app/components/RoomsRow";
import { getDb } from "@/lib/runtime/database";
import { checkHealth } from "@/lib/health";
import { APP_VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

export default async function Home() {
  const health = await checkHealth(await getDb(), APP_VERSION).catch(() => null);
  return (
    <main>
      <h1>Mesh Discovery</h1>
      <p>Meet people through the films, books and music you love.</p>
      <RequireSession>
        <Carousel />
        <RoomsRow />
      </RequireSession>
      <footer style={{ marginTop: "2rem", fontSize: "0.9rem", color: "#374151" }}>
        <p data-testid="db-status">
          {health
            ? `Database: ${health.db}, ${health.migrations.applied} migrations applied`
            : "Database unreachable: check DATABASE_URL, or unset it to use the embedded database."}
        </p>
        <p>
          API health check: <a href="/api/health">/api/health</a>
        </p>
      </footer>
    </main>
  );
}
