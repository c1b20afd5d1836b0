/**
 * A file download streamed from text chunks as they are produced (an export can be large: it is
 * never held whole in memory), never cached.
 */
export function streamedDownload(
  chunks: AsyncIterator<string>,
  fileName: string,
  contentType = "application/json; charset=utf-8",
): Response {
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
      "content-type": contentType,
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
