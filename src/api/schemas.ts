// Shapes of every request and response the client uses. zod/mini keeps the bundle small
// (~13 kB instead of ~85 kB for the full API); its error messages are generic, so the client
// words validation failures itself (see describeIssues in client.ts).
// Responses are loose: Prolific adds undocumented fields (related.md § 2), which must not fail.
import * as z from 'zod/mini';

const optionalText = z.optional(z.nullable(z.string()));

export const SendMessageRequest = z.object({
  recipient_id: z.string(),
  body: z.string(),
  study_id: z.string(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

// Only id and email are documented; the rest is what the CLI observes.
export const User = z.looseObject({
  id: z.string(),
  email: z.string(),
  first_name: optionalText,
  last_name: optionalText,
  name: optionalText,
  username: optionalText,
});
export type User = z.infer<typeof User>;

// status is a plain string: the enum has spaces ("AWAITING REVIEW") and may grow.
export const Study = z.looseObject({
  id: z.string(),
  name: z.string(),
  internal_name: optionalText,
  status: optionalText,
});
export type Study = z.infer<typeof Study>;

export const StudiesList = z.looseObject({
  results: z.array(Study),
});
export type StudiesList = z.infer<typeof StudiesList>;
