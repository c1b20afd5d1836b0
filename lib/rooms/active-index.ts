import type { Db, Queryable } from "../db/types";
import { fromVectorColumn } from "../db/vector";
import { log } from "../log";
import { Rng } from "../random";
import { activeWindowMs } from "./config";

/** Who was seen (an event stored, a room joined) after $1, with their taste vector; hidden people left out. */
export function activeTastesSql(): string {
  return `SELECT a.user_id, max(a.seen) AS seen FROM (
      SELECT user_id, updated_at AS seen FROM behaviour_recent WHERE updated_at > $1
      UNION ALL SELECT user_id, joined_at FROM room_attendees WHERE joined_at > $1
    ) a
    WHERE NOT EXISTS (SELECT 1 FROM discovery_hidden('favorites') h WHERE h.user_id = a.user_id)
    GROUP BY a.user_id`;
}

export interface IndexHit {
  userId: string;
  cosine: number;
}

const DIMS = 256;
/**
 * Each vector also has a 64-d sketch (a fixed seeded Gaussian projection, which keeps cosines to
 * within about ±0.15): the scan reads the sketches and computes the full 256-d cosine only for
 * people whose sketch comes within SKETCH_MARGIN of the bar, a quarter of the arithmetic. On 64
 * clusters of 50,000 people, 0.99 of everyone above cosine 0.7 passed the sketch (the top 50,
 * far above the bar, all of them); the bench compares the answers with pgvector's exact scan.
 */
const SKETCH_DIMS = 64;
const SKETCH_MARGIN = 0.2;
const PROJECTION = (() => {
  const rng = new Rng(20261129);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return Float32Array.from({ length: SKETCH_DIMS * DIMS }, () => gaussian() / Math.sqrt(SKETCH_DIMS));
})();

function sketchInto(out: Float32Array, offset: number, unit: ArrayLike<number>, unitOffset: number): void {
  for (let k = 0; k < SKETCH_DIMS; k++) {
    let s = 0;
    const row = k * DIMS;
    for (let d = 0; d < DIMS; d++) s += PROJECTION[row + d] * unit[unitOffset + d];
    out[offset + k] = s;
  }
}
/** A warm index re-reads who was seen since its last read at most this often (in the background). */
const REFRESH_MS = 5_000;
/** Overlap between reads, so a row committed late with an earlier timestamp is not missed. */
const SLACK_MS = 10_000;

/**
 * An in-process index of active people's taste vectors (unit length, one contiguous Float32Array),
 * searched by a scan of their sketches with exact cosines for those that pass. Loaded in the background on first use (until then callers use
 * pgvector), then kept fresh by re-reading who was seen since the last read (events and joins on
 * any server instance) every few seconds and at once after a join or leave here. People not seen
 * within the active window are skipped by the scan and dropped at the next read. It only proposes:
 * callers check every exclusion in SQL on the few it returns.
 */
export class ActiveTasteIndex {
  private slab = new Float32Array(0);
  private sketches = new Float32Array(0);
  private ids: (string | null)[] = [];
  private seenAt = new Float64Array(0);
  private slots = new Map<string, number>();
  private free: number[] = [];
  private readTo: number | null = null;
  private refreshedAt = 0;
  private pending: Promise<void> | null = null;
  private dirty = false;

  constructor(private readonly db: Queryable) {}

  get size(): number {
    return this.slots.size;
  }

  get warm(): boolean {
    return this.readTo !== null;
  }

  /** Someone here joined or left a room: read them (and anyone else seen) soon. */
  touch(_userId: string): void {
    this.dirty = true;
    if (this.warm) void this.refresh();
  }

  /** Waits for a load or refresh under way (tests, benches). */
  async settle(): Promise<void> {
    while (this.pending) await this.pending;
  }

  /** Loads or refreshes now and waits for it. */
  async refresh(now = Date.now()): Promise<void> {
    if (!this.pending) {
      this.pending = this.read(now)
        .catch((err) => log.error("rooms: active index read failed", { error: String(err) }))
        .finally(() => {
          this.pending = null;
        });
    }
    await this.pending;
  }

  /**
   * The `k` active people closest to `query` (unit length) with cosine above `minCosine`, or null
   * while the index is cold (a load starts in the background).
   */
  search(query: Float32Array, k: number, minCosine: number, now = Date.now()): IndexHit[] | null {
    if (!this.warm) {
      void this.refresh(now);
      return null;
    }
    if (this.dirty || now - this.refreshedAt > REFRESH_MS) void this.refresh(now);
    const cutoff = now - activeWindowMs();
    const hits: IndexHit[] = [];
    let floor = minCosine;
    const slab = this.slab;
    const sketches = this.sketches;
    const q = new Float32Array(SKETCH_DIMS);
    sketchInto(q, 0, query, 0);
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (this.ids[slot] === null || this.seenAt[slot] < cutoff) continue;
      let rough = 0;
      const at = slot * SKETCH_DIMS;
      for (let k = 0; k < SKETCH_DIMS; k++) rough += sketches[at + k] * q[k];
      if (rough < floor - SKETCH_MARGIN) continue;
      let dot = 0;
      const base = slot * DIMS;
      for (let d = 0; d < DIMS; d++) dot += slab[base + d] * query[d];
      if (dot <= floor) continue;
      hits.push({ userId: this.ids[slot]!, cosine: dot });
      if (hits.length >= 4 * k) {
        hits.sort((a, b) => b.cosine - a.cosine);
        hits.length = k;
        floor = hits[k - 1].cosine;
      }
    }
    hits.sort((a, b) => b.cosine - a.cosine);
    return hits.slice(0, k);
  }

  private async read(now: number): Promise<void> {
    this.dirty = false;
    const since = this.readTo === null ? now - activeWindowMs() : this.readTo - SLACK_MS;
    const rows = await this.db.query<{ user_id: string; seen: Date | string; taste: string }>(
      `SELECT s.user_id, s.seen, t.taste::text AS taste FROM (${activeTastesSql()}) s
       JOIN user_taste_vectors t ON t.user_id = s.user_id`,
      [new Date(since)],
    );
    for (const r of rows) this.put(r.user_id, fromVectorColumn(r.taste), new Date(r.seen).getTime());
    this.dropExpired(now - activeWindowMs());
    this.readTo = now;
    this.refreshedAt = Date.now();
  }

  private put(userId: string, vector: number[], seen: number): void {
    let slot = this.slots.get(userId);
    if (slot === undefined) {
      slot = this.free.pop() ?? this.grow();
      this.slots.set(userId, slot);
      this.ids[slot] = userId;
    }
    let norm = 0;
    for (const x of vector) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    const base = slot * DIMS;
    for (let d = 0; d < DIMS; d++) this.slab[base + d] = (vector[d] ?? 0) / norm;
    sketchInto(this.sketches, slot * SKETCH_DIMS, this.slab, base);
    this.seenAt[slot] = Math.max(this.seenAt[slot], seen);
  }

  private grow(): number {
    const slot = this.ids.length;
    if ((slot + 1) * DIMS > this.slab.length) {
      const capacity = Math.max(1024, slot * 2);
      const slab = new Float32Array(capacity * DIMS);
      slab.set(this.slab);
      const seen = new Float64Array(capacity);
      seen.set(this.seenAt);
      const sketches = new Float32Array(capacity * SKETCH_DIMS);
      sketches.set(this.sketches);
      this.sketches = sketches;
      this.slab = slab;
      this.seenAt = seen;
    }
    this.ids.push(null);
    this.seenAt[slot] = 0;
    return slot;
  }

  private dropExpired(cutoff: number): void {
    for (const [userId, slot] of this.slots) {
      if (this.seenAt[slot] >= cutoff) continue;
      this.slots.delete(userId);
      this.ids[slot] = null;
      this.seenAt[slot] = 0;
      this.free.push(slot);
    }
  }
}

const indexes = new WeakMap<Db, ActiveTasteIndex>();

/** This process's index for a database. */
export function activeIndexFor(db: Db): ActiveTasteIndex {
  let index = indexes.get(db);
  if (!index) {
    index = new ActiveTasteIndex(db);
    indexes.set(db, index);
  }
  return index;
}
