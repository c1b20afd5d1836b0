import type { MediaType } from "../media/types";

/**
 * Planted taste communities: each demo user belongs to one, and most of their favorites come from
 * its pools, so whether recommendations make sense can be checked (people from one community
 * should find each other). Genres, themes and moods are the tags real metadata carries.
 */
export interface TasteCommunity {
  key: string;
  label: string;
  genres: Record<MediaType, string[]>;
  themes: string[];
  mood: string[];
  hobbies: string[];
  groups: string[];
  titleWords: string[];
}

export const COMMUNITIES: TasteCommunity[] = [
  {
    key: "cerebral-scifi",
    label: "cerebral sci-fi",
    genres: {
      film: ["science fiction", "thriller"],
      book: ["science fiction", "speculative"],
      music: ["electronic", "ambient"],
    },
    themes: ["artificial intelligence", "identity", "dystopia", "space", "time"],
    mood: ["cerebral", "melancholic", "tense"],
    hobbies: ["chess", "astronomy", "coding", "synthesizers"],
    groups: ["Philosophy Club", "Makers Guild"],
    titleWords: ["Orbit", "Signal", "Android", "Horizon", "Quantum", "Echo", "Protocol", "Nebula"],
  },
  {
    key: "cosy-mystery",
    label: "cosy mysteries",
    genres: { film: ["mystery", "comedy"], book: ["mystery", "cozy mystery"], music: ["folk", "acoustic"] },
    themes: ["small town", "detective", "friendship", "secrets"],
    mood: ["cosy", "witty", "warm"],
    hobbies: ["baking", "knitting", "gardening", "puzzles"],
    groups: ["Book Circle", "Village Bakers"],
    titleWords: ["Vicarage", "Teacup", "Garden", "Inn", "Clue", "Cottage", "Parlour", "Lantern"],
  },
  {
    key: "dark-horror",
    label: "dark horror",
    genres: { film: ["horror", "thriller"], book: ["horror", "gothic"], music: ["metal", "darkwave"] },
    themes: ["haunting", "survival", "madness", "folklore"],
    mood: ["dark", "tense", "unsettling"],
    hobbies: ["urban exploring", "tattoos", "horror conventions", "guitar"],
    groups: ["Midnight Screenings", "Metal Heads"],
    titleWords: ["Hollow", "Crypt", "Shadow", "Wraith", "Bone", "Night", "Abyss", "Raven"],
  },
  {
    key: "romance-drama",
    label: "heartfelt romance",
    genres: { film: ["romance", "drama"], book: ["romance", "contemporary"], music: ["pop", "r&b"] },
    themes: ["love", "family", "second chances", "summer"],
    mood: ["romantic", "uplifting", "emotional"],
    hobbies: ["dancing", "travel", "yoga", "photography"],
    groups: ["Salsa Nights", "Weekend Travellers"],
    titleWords: ["Summer", "Heart", "Letters", "Promise", "Sunset", "Paris", "Forever", "Kiss"],
  },
  {
    key: "epic-fantasy",
    label: "epic fantasy",
    genres: { film: ["fantasy", "adventure"], book: ["fantasy", "epic fantasy"], music: ["soundtrack", "orchestral"] },
    themes: ["quest", "magic", "dragons", "kingdoms"],
    mood: ["epic", "adventurous", "awe"],
    hobbies: ["tabletop games", "archery", "cosplay", "hiking"],
    groups: ["Dungeon Masters", "Ren Faire Crew"],
    titleWords: ["Dragon", "Crown", "Sword", "Realm", "Throne", "Rune", "Citadel", "Oath"],
  },
  {
    key: "indie-arthouse",
    label: "indie arthouse",
    genres: { film: ["drama", "arthouse"], book: ["literary fiction", "poetry"], music: ["indie rock", "shoegaze"] },
    themes: ["alienation", "memory", "youth", "city life"],
    mood: ["introspective", "bittersweet", "dreamy"],
    hobbies: ["film photography", "vinyl collecting", "painting", "cafe hopping"],
    groups: ["Cinematheque", "Zine Makers"],
    titleWords: ["Blue", "Rooms", "Afternoon", "Static", "Paper", "Quiet", "Neon", "River"],
  },
  {
    key: "true-crime-docs",
    label: "true crime and documentaries",
    genres: { film: ["documentary", "crime"], book: ["true crime", "nonfiction"], music: ["hip hop", "jazz"] },
    themes: ["justice", "investigation", "history", "society"],
    mood: ["gripping", "thoughtful", "gritty"],
    hobbies: ["podcasts", "running", "debate", "history"],
    groups: ["Podcast Club", "Street Runners"],
    titleWords: ["Case", "Evidence", "Witness", "Files", "Verdict", "Trail", "Confession", "Motive"],
  },
  {
    key: "family-animation",
    label: "family animation",
    genres: { film: ["animation", "family"], book: ["children's", "middle grade"], music: ["pop", "children's"] },
    themes: ["friendship", "growing up", "animals", "imagination"],
    mood: ["playful", "heartwarming", "whimsical"],
    hobbies: ["board games", "parenting", "drawing", "cycling"],
    groups: ["Parents Meetup", "Sketch Club"],
    titleWords: ["Little", "Bunny", "Balloon", "Rainbow", "Robot", "Wonder", "Kite", "Puddle"],
  },
];

/** Places demo users live (lat, lon), so distance features and nearby fallbacks have real data. */
export const CITIES = [
  { name: "London", lat: 51.5072, lon: -0.1276 },
  { name: "Madrid", lat: 40.4168, lon: -3.7038 },
  { name: "Mexico City", lat: 19.4326, lon: -99.1332 },
  { name: "New York", lat: 40.7128, lon: -74.006 },
  { name: "Berlin", lat: 52.52, lon: 13.405 },
  { name: "Buenos Aires", lat: -34.6037, lon: -58.3816 },
];

export const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Carla",
  "Diego",
  "Elena",
  "Femi",
  "Grace",
  "Hugo",
  "Ines",
  "Jonas",
  "Kira",
  "Luis",
  "Maya",
  "Nico",
  "Olga",
  "Pablo",
  "Quinn",
  "Rosa",
  "Sami",
  "Tara",
  "Uma",
  "Victor",
  "Wren",
  "Ximena",
  "Yusuf",
  "Zoe",
];

export const SHARED_HOBBIES = ["cooking", "coffee", "football", "swimming", "climbing", "languages"];
