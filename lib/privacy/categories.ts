/** The signal categories a person controls; each is on unless they switch it off. */
export const privacyCategories = [
  "favorites",
  "connectors",
  "interests",
  "behaviour",
  "location",
  "discoverable",
  "recommendations",
] as const;
export type PrivacyCategory = (typeof privacyCategories)[number];
export type PrivacySettings = Record<PrivacyCategory, boolean>;

/** What each category holds and what switching it off does, in plain words (EN). */
export const categoryDescriptions: Record<PrivacyCategory, { holds: string; whenOff: string }> = {
  favorites: {
    holds: "Your films, books and music, and the taste profile and traits we compute from them.",
    whenOff: "Matching stops using your taste at once; your taste vector and traits are deleted within 15 minutes.",
  },
  connectors: {
    holds: "Connected services (Spotify) and the favorites they sync.",
    whenOff:
      "Syncs stop at once and queued ones are cancelled. Favorites a connected service synced stay in your list, but until you switch this back on discovery stops counting them as shared favorites at once, and your taste profile and traits stop using them within 15 minutes. Files you imported (Letterboxd, Goodreads) and titles you added yourself are not affected.",
  },
  interests: {
    holds: "Your hobbies, communities, what you are looking for (goals) and your age band.",
    whenOff: "Matching and reasons stop using your interests at once.",
  },
  behaviour: {
    holds:
      'How you use discovery: time on cards, swipes and clicks, and the "more / less like this" that tune your suggestions.',
    whenOff:
      "From that moment we store no impressions, time on cards or clicks about you, and your feedback stops training suggestions: none of it while this is off, and what you do while it is off never. Passes, connection requests, accepts and blocks are still kept, so the people you acted on stay out of your suggestions.",
  },
  location: {
    holds: "Your city and approximate location (rounded to about 5 km), used for distance and nearby suggestions.",
    whenOff: "Distance is no longer used or shown at once.",
  },
  discoverable: {
    holds: "Whether other people can be shown you in their discovery.",
    whenOff: "You disappear from everyone's suggestions at once.",
  },
  recommendations: {
    holds: "Product suggestions made for you from what you viewed, put in your cart and bought in the shop.",
    whenOff:
      "You see popular products only, at once; your personal list is deleted and you are left out of the next daily training.",
  },
};

export const defaultSettings = (): PrivacySettings =>
  Object.fromEntries(privacyCategories.map((c) => [c, true])) as PrivacySettings;
