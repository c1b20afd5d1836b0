import { z } from "zod";
import { goals } from "@/lib/discovery/goals";
import { locales } from "@/lib/i18n/locales";
import { ageBands } from "@/lib/profiles/age-band";
import { profileFieldCategories } from "@/lib/profiles/fields";
import { operation } from "./operation";

/** The HTTP contract of /api/v2/profile: who a person says they are, and the end of /welcome. */

const category = z.enum(["location", "interests"]).nullable();
const listOf = (what: string) =>
  z
    .array(z.string().trim().min(1).max(40))
    .max(20)
    .meta({ description: `${what}: up to 20, each 1-40 characters; duplicates are dropped.` });

export const profileResponse = z.object({
  displayName: z.string(),
  bio: z.string(),
  city: z.string().nullable().meta({ description: 'The city, as "Name, CC"; null when no location is known.' }),
  hobbies: z.array(z.string()),
  communities: z.array(z.string()),
  goals: z.array(z.enum(goals)),
  ageBand: z.enum(ageBands).nullable(),
  language: z.enum(locales),
  onboarded: z.boolean().meta({ description: "Whether /welcome was finished or skipped." }),
  categories: z
    .object({
      displayName: category,
      bio: category,
      city: category,
      hobbies: category,
      communities: category,
      goals: category,
      ageBand: category,
      language: category,
    })
    .meta({ description: "The privacy category each field is used under (null: part of the account)." }),
});
export type ProfileResponse = z.infer<typeof profileResponse>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .transform((value, ctx) => {
    const [year, month, day] = value.split("-").map(Number);
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || year < 1900 || d > new Date()) {
      ctx.addIssue({ code: "custom", message: "not a real birthday" });
      return z.NEVER;
    }
    return { year, month, day };
  });

export const profileUpdate = z
  .object({
    displayName: z.string().trim().min(1).max(80),
    bio: z.string().max(500),
    city: z.string().trim().min(1).max(120).nullable().meta({
      description: 'A city name, optionally with its ISO country code ("Madrid, ES"); null forgets the location.',
    }),
    position: z
      .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
      .strict()
      .meta({ description: "The browser's position instead of a city: rounded to ~5 km before anything stores it." }),
    hobbies: listOf("Hobbies"),
    communities: listOf("Communities"),
    goals: z.array(z.enum(goals)).max(goals.length),
    birthday: isoDate
      .nullable()
      .meta({ description: "YYYY-MM-DD: turned into ageBand and never stored; 18 or older. null forgets the band." }),
    language: z.enum(locales),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: "name at least one field to change" });

const exampleProfile: ProfileResponse = {
  displayName: "Ada",
  bio: "Sci-fi, synths and long walks.",
  city: "Madrid, ES",
  hobbies: ["chess", "synthesizers"],
  communities: ["Makers Guild"],
  goals: ["friends", "collaborators"],
  ageBand: "25-34",
  language: "en",
  onboarded: true,
  categories: profileFieldCategories,
};

export const welcomeDoneResponse = z.object({
  slateSize: z.number().int().meta({ description: "People in the slate pre-warmed for the carousel." }),
  tastePending: z.boolean().meta({
    description:
      "True when an external service (the embeddings API or the traits LLM) did not answer in time: the person's vectors are brought up to date by a queued job, and this slate was built from what they were before.",
  }),
});

export const operations = {
  getProfile: operation({
    method: "GET",
    path: "/api/v2/profile",
    summary: "The caller's profile, with the privacy category of each field",
    auth: "user",
    responses: { 200: { description: "The profile.", schema: profileResponse, example: exampleProfile } },
  }),
  updateProfile: operation({
    method: "PUT",
    path: "/api/v2/profile",
    summary: "Change any of the caller's profile fields",
    description:
      "All or nothing. A city is resolved offline against a gazetteer of the world's cities (400 naming `city` " +
      "when unknown); a birthday becomes an age band and is not stored. Matching uses the change from the next " +
      "slate on (the cached slate is dropped; the profile embedding follows through the queue).",
    auth: "user",
    body: profileUpdate,
    bodyExample: { city: "Madrid", hobbies: ["chess"], goals: ["friends"] },
    responses: {
      200: { description: "The profile after the change.", schema: profileResponse, example: exampleProfile },
    },
  }),
  finishWelcome: operation({
    method: "POST",
    path: "/api/v2/profile/welcome",
    summary: "Finish (or skip) onboarding: shown once, then the slate is pre-warmed",
    auth: "user",
    responses: {
      200: { description: "Done.", schema: welcomeDoneResponse, example: { slateSize: 50, tastePending: false } },
    },
  }),
};
