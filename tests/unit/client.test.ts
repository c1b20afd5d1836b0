import { describe, expect, it } from "vitest";
import { ApiError, createApiClient } from "../../api/client";

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: unknown;
}

/** A fetch that records what the client sent and answers with the given response. */
function fakeFetch(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = {
      url: String(input),
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: init.body,
    };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const userId = "8f0b7a9e-3c1d-4a2b-9e8f-1a2b3c4d5e6f";

describe("the typed API client", () => {
  it("sends the bearer token and asks for the slate in the page's language", async () => {
    const { calls, fetchImpl } = fakeFetch(() =>
      Response.json({
        candidates: [],
        modelVersion: "prior",
        generatedAt: "",
        cached: false,
        stale: false,
        nextCursor: null,
        requestId: "2b1f4c1e-8d1a-4f3e-9c7b-5a6d7e8f9a0b",
      }),
    );
    const api = createApiClient({ token: "tok", baseUrl: "http://app/", fetch: fetchImpl });
    await api.candidates({ limit: 10, locale: "es" });
    expect(calls[0].url).toBe("http://app/api/v2/discovery/candidates?limit=10&locale=es");
    expect(calls[0].headers.get("authorization")).toBe("Bearer tok");
  });

  it("posts feedback as JSON with the target and action", async () => {
    const { calls, fetchImpl } = fakeFetch(() => Response.json({ recorded: true, id: 1 }, { status: 201 }));
    await createApiClient({ token: "tok", fetch: fetchImpl }).feedback(userId, "connect");
    expect(calls[0]).toMatchObject({ url: "/api/v2/discovery/feedback", method: "POST" });
    expect(calls[0].headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(String(calls[0].body))).toEqual({ targetId: userId, action: "connect" });
  });

  it("sends no Authorization header before sign-in", async () => {
    const { calls, fetchImpl } = fakeFetch(() => Response.json({ userId, token: "t" }));
    const session = await createApiClient({ token: null, fetch: fetchImpl }).demoSession();
    expect(session).toEqual({ userId, token: "t" });
    expect(calls[0].headers.has("authorization")).toBe(false);
  });

  it("turns an error answer into an ApiError with the server's code and message", async () => {
    const { fetchImpl } = fakeFetch(() =>
      Response.json(
        { error: { code: "not_configured", message: "Spotify is not configured on this server" } },
        { status: 503 },
      ),
    );
    const err = await createApiClient({ token: "tok", fetch: fetchImpl })
      .connectSpotify()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: "not_configured", message: expect.stringContaining("Spotify") });
  });

  it("reports a non-JSON failure by its status", async () => {
    const { fetchImpl } = fakeFetch(() => new Response("bad gateway", { status: 502 }));
    await expect(createApiClient({ token: "t", fetch: fetchImpl }).privacySettings()).rejects.toMatchObject({
      status: 502,
      code: "http_error",
    });
  });

  it("rejects an answer that does not match the contract instead of passing it on", async () => {
    const { fetchImpl } = fakeFetch(() => Response.json({ items: "not a list" }));
    await expect(createApiClient({ token: "t", fetch: fetchImpl }).searchMedia("blade")).rejects.toThrow();
  });

  it("uploads an export as the multipart field `file`", async () => {
    const { calls, fetchImpl } = fakeFetch(() =>
      Response.json({ service: "letterboxd", counts: { rows: 2, imported: 2, matched: 0, skipped: 0 } }),
    );
    const result = await createApiClient({ token: "t", fetch: fetchImpl }).importFile(
      "letterboxd",
      new Blob(["Name,Year\nDrive,2011\n"], { type: "text/csv" }),
      "ratings.csv",
    );
    expect(result.counts.imported).toBe(2);
    expect(calls[0].url).toBe("/api/v2/favorites/import/letterboxd");
    const form = calls[0].body as FormData;
    expect((form.get("file") as File).name).toBe("ratings.csv");
  });

  it("removes a favorite by its canonical id, escaped in the path", async () => {
    const { calls, fetchImpl } = fakeFetch(() => new Response(null, { status: 204 }));
    await createApiClient({ token: "t", fetch: fetchImpl }).removeFavorite("imdb:tt0083658");
    expect(calls[0]).toMatchObject({ url: "/api/v2/favorites/imdb%3Att0083658", method: "DELETE" });
  });

  it("asks for account deletion with the confirmation the API requires", async () => {
    const { calls, fetchImpl } = fakeFetch(() => Response.json({ deleted: true }));
    await createApiClient({ token: "t", fetch: fetchImpl }).deleteAccount();
    expect(calls[0].method).toBe("DELETE");
    expect(JSON.parse(String(calls[0].body))).toEqual({ confirm: "DELETE" });
  });
});
