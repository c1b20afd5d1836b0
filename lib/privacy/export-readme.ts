/**
 * What each section of the data export holds, in words the person can follow (GDPR Art. 15: the
 * copy must be intelligible). Every table the export can contain has a line here; a test fails
 * when a new per-user table has none.
 */
export const EXPORT_README_INTRO = {
  about:
    "Everything Mesh Discovery holds about you, as one JSON document. Each key of `tables` is one kind of " +
    "record; the lines below say what each holds. Secrets (connection tokens) are shown as [redacted].",
  userId: "Your account id. Other ids in this file that look like it are other people (for example whom you blocked).",
  exportedAt: "When this file was made (UTC).",
  mediaIds:
    "Titles are identified by ids: imdb:… (IMDb), mbid:… (MusicBrainz), isbn:… (the book's ISBN), " +
    "local:… (a title with no outside id, numbered by us). Next to each id you find its title, year and " +
    "type (film, book or music).",
} as const;

export const EXPORT_TABLE_README: Record<string, string> = {
  account: "Your sign-in account: id, e-mail address and when it was created.",
  profiles:
    "Your profile: display name, bio, hobbies, communities, what you are looking for (goals), age band (your " +
    "birthday is never kept), city and location rounded to about 5 km (if given), language, whether you can be " +
    "found and when you finished the welcome steps.",
  privacy_settings: "The signal switches you changed on the privacy page (any category not listed is on).",
  favorite_items:
    "Your favorites: each title with its title, year and type, your rating, where it came from " +
    "(`source`: manual entry, a Letterboxd or Goodreads file, Spotify, or demo data) and when it was added.",
  connector_accounts: "Services you connected (Spotify): their status and last sync; the access tokens are redacted.",
  oauth_states: "A connection to a service you started and have not finished (kept for a few minutes).",
  user_taste_vectors:
    "Your taste vector: 256 numbers computed from your favorites, used to find people with similar taste. " +
    "Deleted when you switch favorites off.",
  user_embeddings:
    "Your profile embedding: 256 numbers computed from your interests and profile, used to find people like you.",
  user_traits:
    "Short descriptions of your taste (for example 'cerebral sci-fi') with weights, computed from your favorites; " +
    "`source_media_titles` names the favorites they came from.",
  events:
    "Things you did that we record: suggestions shown to you (impressions), what your apps reported (views, dwell " +
    "time, clicks, searches and the like, with the time your device gave) and privacy switches turned off or on. " +
    "Nothing behavioural is recorded while behaviour is off.",
  behaviour_recent: "Your last ten actions as the recommendations read them, newest first.",
  behaviour_dwell_daily: "How long you looked at suggestions each day (total and count), kept for 30 days.",
  behaviour_target_counts:
    "How often you viewed, clicked or otherwise acted on each person or item, how long you looked at it, and when last.",
  feedback: "Your actions on suggested people: passes, swipes, connection requests and accepts.",
  blocks: "People you blocked (their account ids).",
  reports:
    "Reports you made about other people: whom, why, your words, and whether a moderator has dismissed or " +
    "upheld them. Reports about you are not included (they would name who made them).",
  moderation_actions: "Moderators' decisions about your account: warnings, and suspension from discovery.",
  safety_scores:
    "Safety scores the service computed for your account from reports and blocks (used to keep harassment out " +
    "of suggestions), with how many independent people reported or blocked you and any suspension.",
  fairness_audit_attributes:
    "The audit group you declared (only if you switched it on), kept only to check that suggestions are fair " +
    "across groups: never shown to anyone and never used to rank you. Switching it off deletes it.",
  rooms: "Live rooms you opened: title, tags, language, who could see them, when they opened and closed.",
  room_attendees:
    "Rooms you were in: when you joined and left, and the taste vector you brought to the room's taste while inside " +
    "(none while favorites or discoverable is off).",
  room_invitations: "Invitations you received to rooms, and who invited you (their account id).",
  item_recommendations:
    "Your daily lists, by scenario (ids and scores, best first): 'products', suggested products computed from your " +
    "shop events; 'titles', the titles you do not have yet that people who love what you love also love, which " +
    "discovery uses to choose people whose favorites point there. Both are deleted when you switch recommendations " +
    "off; the titles list also when you switch favorites off.",
  user_loved_titles:
    "The titles among your favorites you love (rated 4 or more, liked, or kept without a rating), as of the " +
    "nightly batch: what your favorites count for when discovery chooses people for someone else's slate. " +
    "Deleted when you switch favorites or connectors off (written again from what is in use).",
  streams:
    "Live streams you broadcast: title, category, language, the city they were placed in (the city's point, never " +
    "your position), when they went live and ended, quality score, viewer counts, partnered and mature flags.",
  follows: "Creators you follow (their account ids) and since when.",
  stream_preferences:
    "Your live-stream preferences: the categories you like, how much nearby streams matter to you, and whether " +
    "mature streams may be shown.",
  experiment_assignments:
    "Experiments you took part in: which variant of the suggestions (a ranking model or setting) you were given, " +
    "and when.",
  audit_log: "A log of changes to your data and settings: what changed and when.",
};

/** The readme for a document with these sections. */
export function exportReadme(sections: string[]): { tables: Record<string, string> } & typeof EXPORT_README_INTRO {
  const tables: Record<string, string> = {};
  for (const name of sections) {
    tables[name] = EXPORT_TABLE_README[name] ?? `Rows of the table ${name} that are about you.`;
  }
  return { ...EXPORT_README_INTRO, tables };
}
