import { describe, expect, it } from "vitest";
import { redact } from "../../lib/log";

describe("log redaction", () => {
  it("removes tokens, emails, ids and connection passwords from log lines", () => {
    const line = redact(
      "failed for 5b0c2b9e-8d4f-4a52-9a38-3f1c0b7d2e11 (ana@example.com) with eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig " +
        "refresh_token=AQB_secret123 on postgres://app:hunter2@db.internal:5432/mesh",
    );
    expect(line).not.toMatch(/5b0c2b9e|ana@example|eyJhbGci|AQB_secret123|hunter2/);
    expect(line).toContain("[id]");
    expect(line).toContain("[email]");
    expect(line).toContain("[jwt]");
    expect(line).toContain("postgres://app:[redacted]@db.internal");
  });

  it("leaves ordinary text alone", () => {
    expect(redact("job 42 (re-embed-user) failed on attempt 2, will retry")).toBe(
      "job 42 (re-embed-user) failed on attempt 2, will retry",
    );
  });
});
