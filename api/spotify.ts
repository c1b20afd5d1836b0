import { z } from "zod";

/** What Spotify appends to our redirect URI: a code and our state, or an error and our state. */
export const spotifyCallbackQuery = z.object({
  state: z.string().min(16).max(128),
  code: z.string().min(1).max(2048).optional(),
  error: z.string().max(100).optional(),
});
