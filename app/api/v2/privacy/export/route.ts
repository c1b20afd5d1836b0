import { getDb } from "@/lib/db";
import { handle } from "@/lib/http/errors";
import { exportUserData } from "@/lib/privacy/export";
import { signedInViewer } from "@/lib/users/signed-in";

export const dynamic = "force-dynamic";

export const GET = handle(async (request: Request) => {
  const viewer = await signedInViewer(request);
  const chunks = exportUserData(await getDb(), viewer.userId);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": 'attachment; filename="mesh-discovery-export.json"',
      "cache-control": "no-store",
    },
  });
});
