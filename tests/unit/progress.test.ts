import { Writable } from "node:stream";
import { afterEach, expect, it, vi } from "vitest";
import { progressBar } from "../../scripts/lib/progress";

/** A log file or CI pipe: not a terminal, keeps what is written. */
function logStream(): { stream: NodeJS.WritableStream; text: () => string } {
  let out = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { stream, text: () => out };
}

afterEach(() => {
  vi.useRealTimers();
});

it("prints progress to a log every 10 s even when a busy loop never lets its timer run", () => {
  vi.useFakeTimers(); // timers never fire unless advanced: a loop of PGlite queries starves them alike
  const log = logStream();
  const bar = progressBar("loading {value}/{total}", { stream: log.stream });
  bar.start(300, 0);
  expect(log.text()).toContain("loading 0/300");
  bar.update(10);
  expect(log.text()).not.toContain("loading 10/300"); // not every update: a line per 10 s
  vi.setSystemTime(Date.now() + 10_500);
  bar.update(120);
  expect(log.text()).toContain("loading 120/300");
  vi.setSystemTime(Date.now() + 10_500);
  bar.update(250);
  expect(log.text()).toContain("loading 250/300");
  bar.stop();
  expect(log.text().trim().split("\n").at(-1)).toBe("loading 250/300");
});
