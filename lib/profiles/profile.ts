import type { Db, Queryable } from "../db/types";
import type { Goal } from "../discovery/goals";
import { invalidateSlates } from "../discovery/slate-cache";
import { HttpError } from "../http/errors";
import { queueUserReembed } from "../jobs/enqueue";
import { ageBandOn, type AgeBand, type Birthday } from "./age-band";
import { placeFromPosition, resolveCity, roundToGrid, type Place } from "./gazetteer";
import { profileFieldCategories } from "./fields";

export interface Profile {
  displayName: string;
  bio: string;
  /** "Madrid, ES"; null when no location is known. */
  city: string | null;
  hobbies: string[];
  communities: string[];
  goals: Goal[];
  ageBand: AgeBand | null;
  language: "en" | "es";
  /** Finished (or skipped) /welcome. */
  onboarded: boolean;
  categories: typeof profileFieldCategories;
}

/** A change: every field optional; `birthday` and `position` are inputs only, never stored. */
export interface ProfileUpdate {
  displayName?: string;
  bio?: string;
  /** A typed city, resolved against the gazetteer; null forgets the location. */
  city?: string | null;
  /** The browser's position, used instead of a typed city (rounded to ~5 km first). */
  position?: { latitude: number; longitude: number };
  hobbies?: string[];
  communities?: string[];
  goals?: Goal[];
  /** Turned into ageBand and dropped; null forgets the band. */
  birthday?: Birthday | null;
  language?: "en" | "es";
}

interface ProfileRow {
  display_name: string;
  bio: string;
  city: string | null;
  lat: number | null;
  hobbies: string[];
  communities: string[];
  goals: Goal[];
  age_band: AgeBand | null;
  locale: string;
  onboarded_at: Date | string | null;
}

export async function getProfile(db: Queryable, userId: string): Promise<Profile> {
  const rows = await db.query<ProfileRow>(
    `SELECT display_name, bio, city, lat, hobbies, communities, goals, age_band, locale, onboarded_at
     FROM profiles WHERE user_id = $1`,
    [userId],
  );
  if (rows.length === 0) throw new HttpError(404, "not_found", "no profile for this account");
  const r = rows[0];
  return {
    displayName: r.display_name,
    bio: r.bio,
    // A position with no town near it has coordinates and no name.
    city: r.city ?? (r.lat !== null ? "" : null),
    hobbies: r.hobbies,
    communities: r.communities,
    goals: r.goals,
    ageBand: r.age_band,
    language: r.locale === "es" ? "es" : "en",
    onboarded: r.onboarded_at !== null,
    categories: profileFieldCategories,
  };
}

/** Trimmed, de-duplicated (case-insensitively), empty entries dropped, first spelling kept. */
function cleanList(values: string[]): string[] {
  const seen = new Set<string>();
  return values
    .map((v) => v.trim().replace(/\s+/g, " "))
    .filter((v) => v && !seen.has(v.toLowerCase()) && seen.add(v.toLowerCase()));
}

async function placeOf(change: ProfileUpdate): Promise<Place | null | undefined> {
  if (change.position) return placeFromPosition(change.position.latitude, change.position.longitude);
  if (change.city === undefined) return undefined;
  if (change.city === null) return null;
  const found = await resolveCity(change.city);
  if (!found) throw new HttpError(400, "invalid_input", `no city called "${change.city}" is known`, "city");
  return found;
}

function ageBandOf(birthday: Birthday | null | undefined, now: Date): AgeBand | null | undefined {
  if (birthday === undefined || birthday === null) return birthday;
  const band = ageBandOn(now, birthday);
  if (!band) throw new HttpError(400, "invalid_input", "you must be 18 or older", "birthday");
  return band;
}

/**
 * Applies a change in one transaction (all or nothing: the gazetteer and the age are checked
 * before anything is written). Anything matching uses queues a re-embed of the person and drops
 * their cached slate, so the next one uses it. The audit log names the fields, not their values.
 */
export async function updateProfile(db: Db, userId: string, change: ProfileUpdate, now = new Date()): Promise<Profile> {
  if (change.city !== undefined && change.position) {
    throw new HttpError(400, "invalid_input", "send a city or a position, not both", "position");
  }
  const place = await placeOf(change);
  const ageBand = ageBandOf(change.birthday, now);
  const set: Record<string, unknown> = {
    display_name: change.displayName?.trim(),
    bio: change.bio?.trim(),
    hobbies: change.hobbies && cleanList(change.hobbies),
    communities: change.communities && cleanList(change.communities),
    goals: change.goals && [...new Set(change.goals)],
    locale: change.language,
    age_band: ageBand,
    city: place === undefined ? undefined : place?.label || null,
    lat: place === undefined ? undefined : place && Number(roundToGrid(place.lat).toFixed(2)),
    lon: place === undefined ? undefined : place && Number(roundToGrid(place.lon).toFixed(2)),
  };
  const columns = Object.keys(set).filter((k) => set[k] !== undefined);
  return db.transaction(async (tx) => {
    if (columns.length > 0) {
      const assignments = columns.map((c, i) => `${c} = $${i + 2}`).join(", ");
      await tx.query(`UPDATE profiles SET ${assignments}, updated_at = now() WHERE user_id = $1`, [
        userId,
        ...columns.map((c) => set[c]),
      ] as never[]);
      await tx.query(
        "INSERT INTO audit_log (actor_id, subject_id, action, detail) VALUES ($1, $1, 'profile.update', $2::text::jsonb)",
        [userId, JSON.stringify({ fields: columns })],
      );
      await queueUserReembed(tx, userId);
      await invalidateSlates(tx, [userId]);
    }
    return getProfile(tx, userId);
  });
}
