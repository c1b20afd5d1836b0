import { normalizeTitle, titleParts, type TitleParts } from "./normalize";
import { eraOf, type MediaMetadata, type MediaType } from "./types";

/** A title as an importer or a person describes it, before it has a canonical id. */
export interface MediaCandidate {
  mediaType: MediaType;
  title: string;
  year?: number | null;
  /** imdb:tt…, isbn:978…, mbid:… when the source carries one. */
  externalId?: string | null;
  /** Music: recordings with one ISRC are one title, whatever album they came on. */
  isrc?: string | null;
  metadata?: Partial<MediaMetadata>;
  /** The cover the source shows (Spotify's album art): stored when the title has none yet. */
  coverUrl?: string | null;
}

/** A candidate with everything the plan needs worked out once. */
export interface PreparedCandidate {
  mediaType: MediaType;
  parts: TitleParts;
  year: number | null;
  external: string | null;
  isrc: string | null;
  /** What the import knows about the title: filled into the record where it has nothing. */
  metadata: Record<string, unknown>;
  creators: string[] | undefined;
  coverUrl: string | null;
  /** The id a new record gets: the external id, or a local id from type, title and year. */
  newId: string;
}

/** A catalogue record as the plan sees it (read from the database, or created by the plan). */
export interface CatalogueRecord {
  id: string;
  mediaType: MediaType;
  year: number | null;
  editionYear: boolean;
  creators: string[] | null;
  isrc: string | null;
}

/** The catalogue as read for one batch: what its candidates can match. */
export interface CatalogueView {
  /** External id -> the id it lives under now (through redirects). */
  externals: Map<string, string>;
  /** ISRC -> the lowest id of a music record carrying it. */
  isrcs: Map<string, string>;
  /** Records reachable from the batch's aliases, and the aliases that reach them. */
  records: Map<string, CatalogueRecord>;
  aliases: Map<string, Set<string>>;
  /** The (alias, id) pairs already stored (aliasKey), which need no writing. */
  storedAliases: Set<string>;
}

export interface NewRecord {
  id: string;
  mediaType: MediaType;
  title: string;
  year: number | null;
  metadata: Record<string, unknown>;
  coverUrl: string | null;
}

/** Changes to one existing record: later imports only fill what the record lacks. */
export interface RecordPatch {
  /** Keys the record lacks are filled from here (the earliest candidate's value wins). */
  metadata: Record<string, unknown>;
  coverUrl: string | null;
  /** The record came from a re-release and this is the original's year. */
  year?: { year: number; era: string | null };
}

/** Everything one batch writes, grouped so each group is one statement in id order. */
export interface ResolutionPlan {
  creates: Map<string, NewRecord>;
  /** Local records (already stored) that move to the external id found for them. */
  promotions: Map<string, string>;
  patches: Map<string, RecordPatch>;
  aliases: Map<string, Set<string>>;
  redirects: Map<string, string>;
  /** Per candidate, in order: the id it resolved to, and whether this batch created it. */
  results: { id: string; created: boolean }[];
}

function creatorsOverlap(a: string[] | null | undefined, b: string[] | null | undefined): boolean {
  if (!a?.length || !b?.length) return true;
  const mine = new Set(a.map(normalizeTitle));
  return b.some((c) => mine.has(normalizeTitle(c)));
}

/**
 * Picks the catalogue record a candidate is a variant of. Same normalised title and type, and:
 * the same year (or one side has none); or the candidate is an edition ("– The Final Cut",
 * released later) of an earlier record; or the record was itself created from an edition and the
 * candidate is the earlier original. Different years otherwise mean different titles.
 */
function pickVariant(
  hits: CatalogueRecord[],
  year: number | null,
  edition: boolean,
  creators?: string[],
): CatalogueRecord | null {
  let best: CatalogueRecord | null = null;
  let bestScore = 0;
  for (const hit of hits) {
    if (!creatorsOverlap(hit.creators, creators)) continue;
    let score = 0;
    if (year !== null && hit.year !== null && year === hit.year) score = 4;
    else if (year === null || hit.year === null) score = 2;
    else if (edition && hit.year < year) score = 3;
    else if (!edition && hit.editionYear && hit.year > year) score = 3;
    if (score && !hit.id.startsWith("local:")) score += 0.5;
    if (score > bestScore) [best, bestScore] = [hit, score];
  }
  return best;
}

/** Works out once what a candidate says (its title's parts, metadata, the id a new record gets). */
export function prepareCandidate(
  candidate: MediaCandidate,
  coverUrl: string | null,
  localIdOf: (type: MediaType, norm: string, year: number | null) => string,
): PreparedCandidate {
  const parts = titleParts(candidate.title);
  const year = candidate.year ?? null;
  const metadata: Record<string, unknown> = { ...candidate.metadata };
  if (!metadata.era && eraOf(year)) metadata.era = eraOf(year);
  if (candidate.isrc) metadata.isrc = candidate.isrc;
  const external = candidate.externalId ?? null;
  return {
    mediaType: candidate.mediaType,
    parts,
    year,
    external,
    isrc: candidate.isrc ?? null,
    metadata,
    creators: candidate.metadata?.creators,
    coverUrl,
    newId: external ?? localIdOf(candidate.mediaType, parts.norm, year),
  };
}

/**
 * Decides, for a batch of candidates in order, which record each one is, exactly as resolving
 * them one at a time would: a candidate sees the records, aliases and merges of those before it.
 * Pure: the catalogue view is read first and the plan written after, each in a few statements.
 */
export function planResolution(candidates: PreparedCandidate[], view: CatalogueView): ResolutionPlan {
  const plan: ResolutionPlan = {
    creates: new Map(),
    promotions: new Map(),
    patches: new Map(),
    aliases: new Map(),
    redirects: new Map(),
    results: [],
  };
  const { externals, isrcs, records, aliases } = view;

  const addAliases = (id: string, norms: string[]) => {
    for (const norm of norms) {
      let ids = aliases.get(norm);
      if (!ids) aliases.set(norm, (ids = new Set()));
      ids.add(id);
      let planned = plan.aliases.get(id);
      if (!planned) plan.aliases.set(id, (planned = new Set()));
      planned.add(norm);
    }
  };
  // Filling a record: into the planned new row when this batch creates it, else into its patch.
  const fill = (id: string, metadata: Record<string, unknown>, coverUrl: string | null) => {
    const created = plan.creates.get(id);
    if (created) {
      created.metadata = { ...metadata, ...created.metadata };
      created.coverUrl ??= coverUrl;
      return;
    }
    const patch = plan.patches.get(id) ?? { metadata: {}, coverUrl: null };
    patch.metadata = { ...metadata, ...patch.metadata };
    patch.coverUrl ??= coverUrl;
    plan.patches.set(id, patch);
  };
  const rename = (from: string, to: string) => {
    const record = records.get(from);
    if (record) {
      records.delete(from);
      records.set(to, { ...record, id: to });
    }
    for (const ids of aliases.values()) if (ids.delete(from)) ids.add(to);
    for (const [key, id] of externals) if (id === from) externals.set(key, to);
    for (const [key, id] of isrcs) if (id === from) isrcs.set(key, to);
    for (const [key, id] of plan.redirects) if (id === from) plan.redirects.set(key, to);
    const planned = plan.aliases.get(from);
    if (planned) {
      plan.aliases.delete(from);
      plan.aliases.set(to, new Set([...(plan.aliases.get(to) ?? []), ...planned]));
    }
    const patch = plan.patches.get(from);
    if (patch) {
      plan.patches.delete(from);
      plan.patches.set(to, patch);
    }
    const created = plan.creates.get(from);
    if (created) {
      plan.creates.delete(from);
      plan.creates.set(to, { ...created, id: to });
    } else {
      plan.promotions.set(from, to);
    }
    plan.redirects.set(from, to);
    externals.set(to, to);
  };

  for (const c of candidates) {
    if (c.external) {
      const known = externals.get(c.external);
      if (known) {
        addAliases(known, c.parts.aliases);
        if (c.coverUrl) fill(known, {}, c.coverUrl);
        plan.results.push({ id: known, created: false });
        continue;
      }
    }
    let variant: CatalogueRecord | null = null;
    if (c.mediaType === "music" && c.isrc) {
      const id = isrcs.get(c.isrc);
      if (id)
        variant = records.get(id) ?? {
          id,
          mediaType: "music",
          year: null,
          editionYear: false,
          creators: null,
          isrc: c.isrc,
        };
    }
    if (!variant) {
      const hits = [...(aliases.get(c.parts.norm) ?? [])]
        .map((id) => records.get(id))
        .filter((r): r is CatalogueRecord => r !== undefined && r.mediaType === c.mediaType)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const hit = pickVariant(hits, c.year, c.parts.edition, c.creators);
      if (hit && !c.parts.edition && hit.editionYear && c.year !== null && hit.year !== null && hit.year > c.year) {
        // The record came from a re-release; the original's year is the film's year.
        const created = plan.creates.get(hit.id);
        if (created) {
          created.year = c.year;
          const metadata: Record<string, unknown> = { ...created.metadata, era: eraOf(c.year) ?? null };
          delete metadata.editionYear;
          created.metadata = metadata;
        } else {
          const patch = plan.patches.get(hit.id) ?? { metadata: {}, coverUrl: null };
          patch.year = { year: c.year, era: eraOf(c.year) ?? null };
          plan.patches.set(hit.id, patch);
        }
        hit.year = c.year;
        hit.editionYear = false;
      }
      variant = hit;
    }
    if (variant) {
      let id = variant.id;
      if (c.external && id.startsWith("local:")) {
        rename(id, c.external);
        id = c.external;
      } else if (c.external) {
        // A second external id of one title (another ISBN of the same work): remember it.
        if (!plan.redirects.has(c.external)) plan.redirects.set(c.external, id);
        externals.set(c.external, id);
      }
      addAliases(id, c.parts.aliases);
      // Metadata (and a cover) the catalogue lacks is filled from the import; what it has is kept.
      fill(id, c.metadata, c.coverUrl);
      const record = records.get(id);
      if (record) {
        record.creators ??= c.creators ?? null;
        if (!record.isrc && c.isrc) {
          record.isrc = c.isrc;
          if (!isrcs.has(c.isrc)) isrcs.set(c.isrc, id);
        }
      }
      plan.results.push({ id, created: false });
      continue;
    }

    const id = c.newId;
    const metadata = c.parts.edition ? { ...c.metadata, editionYear: true } : c.metadata;
    plan.creates.set(id, {
      id,
      mediaType: c.mediaType,
      title: c.parts.display,
      year: c.year,
      metadata,
      coverUrl: c.coverUrl,
    });
    records.set(id, {
      id,
      mediaType: c.mediaType,
      year: c.year,
      editionYear: c.parts.edition,
      creators: c.creators ?? null,
      isrc: c.isrc,
    });
    if (c.external) externals.set(c.external, id);
    if (c.isrc && c.mediaType === "music" && !isrcs.has(c.isrc)) isrcs.set(c.isrc, id);
    addAliases(id, c.parts.aliases);
    plan.results.push({ id, created: true });
  }
  // An id resolved early may have moved later in the batch (its local record was promoted).
  plan.results = plan.results.map((r) => ({ ...r, id: finalId(plan.redirects, r.id) }));
  return plan;
}

function finalId(redirects: Map<string, string>, id: string): string {
  let current = id;
  for (let hops = 0; hops < 8 && redirects.has(current) && redirects.get(current) !== current; hops++) {
    current = redirects.get(current)!;
  }
  return current;
}
