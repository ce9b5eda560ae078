// Shapes of every request and response the client uses. zod/mini keeps the bundle small
// (~13 kB instead of ~85 kB for the full API); its error messages are generic, so the client
// words validation failures itself (see describeIssues in http.ts).
// Responses are loose: Prolific adds undocumented fields (docs/prolific-api/related.md § 2), which must not fail.
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

export const SendBulkRequest = z.object({
  ids: z.array(z.string()),
  body: z.string(),
  study_id: z.string(),
});
export type SendBulkRequest = z.infer<typeof SendBulkRequest>;

// study_id is optional only on this endpoint (docs/prolific-api/messages.md § 4); absent, it is not posted at all.
export const SendGroupRequest = z.object({
  participant_group_id: z.string(),
  body: z.string(),
  study_id: z.optional(z.string()),
});
export type SendGroupRequest = z.infer<typeof SendGroupRequest>;

// The SPEC requires participant_id, started_at and has_siblings; started_at and has_siblings are
// tolerated missing here since nothing depends on them. status is a plain string, as for studies,
// and may be null: the SPEC does not require it, and one record without must not sink the list.
export const Submission = z.looseObject({
  id: optionalText,
  participant_id: z.string(),
  status: optionalText,
  started_at: optionalText,
  completed_at: optionalText,
  study_code: optionalText,
  has_siblings: z.optional(z.nullable(z.boolean())),
});
export type Submission = z.infer<typeof Submission>;

export const Workspace = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: optionalText,
});
export type Workspace = z.infer<typeof Workspace>;

// The SPEC makes every field nullable, and the rest may be; but without an id a group cannot be
// sent to, and a name is required to create one (docs/prolific-api/related.md § 5).
export const ParticipantGroup = z.looseObject({
  id: z.string(),
  name: z.string(),
  participant_count: z.optional(z.nullable(z.number())),
  description: optionalText,
  is_deleted: z.optional(z.nullable(z.boolean())),
  workspace_id: optionalText,
});
export type ParticipantGroup = z.infer<typeof ParticipantGroup>;

/** A member of a participant group (GET /participant-groups/{id}/participants/). */
export const GroupMember = z.looseObject({
  participant_id: z.string(),
  datetime_created: optionalText,
});
export type GroupMember = z.infer<typeof GroupMember>;

/**
 * One page of a list (docs/prolific-api/related.md § 8). The next page is `_links.next.href` (legacy envelope) or a
 * string `next` (cursor endpoints); null or absent ends the list. The link is typed strictly: a
 * next link that cannot be read fails the listing instead of silently dropping the later pages.
 */
export function Page<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({
    // null counts as empty: the SPEC marks results nullable for groups.
    results: z.nullable(z.array(item)),
    _links: z.optional(
      z.nullable(z.looseObject({ next: z.optional(z.nullable(z.looseObject({ href: z.optional(z.nullable(z.string())) }))) })),
    ),
    next: z.optional(z.nullable(z.string())),
  });
}

/**
 * One message from GET /messages/ or /messages/unread/. The real API differs from the docs
 * (docs/prolific-api/messages.md § 1 "Real responses differ"): the sender is `sender_id` or `sender` and the time
 * `datetime_created` or `sent_at`, so each pair is optional here and the checks below ask for one
 * of each. Everything else may be missing. Empty strings count as missing.
 */
export const Message = z
  .looseObject({
    id: z.string().check(z.minLength(1)),
    sender_id: optionalText,
    sender: optionalText,
    body: z.string(),
    datetime_created: optionalText,
    sent_at: optionalText,
    type: optionalText,
    channel_id: optionalText,
    data: z.optional(z.nullable(z.looseObject({ study_id: optionalText, category: optionalText }))),
  })
  .check(
    z.refine((m) => Boolean(m.sender_id || m.sender), { error: 'no sender (sender_id or sender)', path: ['sender_id'] }),
    z.refine((m) => Boolean(m.datetime_created || m.sent_at), {
      error: 'no time (datetime_created or sent_at)',
      path: ['datetime_created'],
    }),
    z.refine((m) => !(m.datetime_created || m.sent_at) || isoTime(m.datetime_created || m.sent_at || '') !== undefined, {
      error: 'time is not an ISO 8601 date',
      path: ['datetime_created'],
    }),
  );
export type Message = z.infer<typeof Message>;

/**
 * One page of either message list. Items stay unknown here: each is checked on its own against
 * Message by the client, so one unreadable message is dropped instead of failing the whole inbox.
 * null results is an empty inbox (the SPEC marks it nullable). No paging is documented, but the
 * CLI decodes `_links` here too, so next links are followed as on any other list.
 */
export const MessageList = Page(z.unknown());
export type MessageList = z.infer<typeof MessageList>;

// Date.parse alone is too lenient ("1" is a date in V8), so the shape is checked first.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An API timestamp as a UTC ISO string (2024-01-15T09:30:00.000Z), or undefined if unreadable.
 * A date-time without a zone is read as UTC, not as the computer's local time: the API's
 * examples are all UTC. Microseconds (Django's default) are cut to milliseconds.
 */
export function isoTime(text: string): string | undefined {
  const time = text.trim().toUpperCase();
  const match = ISO_TIME.exec(time);
  if (!match) return undefined;
  const ms = Date.parse(time.length > 10 && !match[1] ? `${time}Z` : time);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
