import { operations } from "@/api/privacy";
import { streamedDownload } from "@/lib/http/download";
import { exportUserData } from "@/lib/privacy/export";
import { route } from "@/lib/route";

export const dynamic = "force-dynamic";

export const GET = route(operations.exportData, async ({ viewer, db }) =>
  streamedDownload(exportUserData(await db(), viewer.userId), "mesh-discovery-export.json"),
);
