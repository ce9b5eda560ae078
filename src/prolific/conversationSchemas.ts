// Shapes of the newer messaging endpoints (docs/prolific-api/messages.md § 6): conversations and
// broadcasts. Their responses are only partly documented ("schema not captured"), so everything but
// the ID is optional and read in either of the names seen for it; requests post documented fields only.
import * as z from 'zod/mini';

const optionalText = z.optional(z.nullable(z.string()));

/** A member: an ID, or an object carrying it as `id`, `user_id` or `participant_id`. */
const Member = z.union([
  z.string(),
  z.looseObject({ id: optionalText, user_id: optionalText, participant_id: optionalText, type: optionalText, user_type: optionalText }),
]);

export const Conversation = z.looseObject({
  id: z.string(),
  subject: optionalText,
  topic: optionalText,
  study_id: optionalText,
  study: z.optional(z.nullable(z.union([z.string(), z.looseObject({ id: optionalText, name: optionalText })]))),
  broadcast_id: optionalText,
  participants: z.optional(z.nullable(z.array(Member))),
  members: z.optional(z.nullable(z.array(Member))),
  last_message: z.optional(z.nullable(z.unknown())),
  unread_count: z.optional(z.nullable(z.number())),
  datetime_created: optionalText,
  datetime_updated: optionalText,
});
export type Conversation = z.infer<typeof Conversation>;

export const StartConversationRequest = z.object({
  recipient_id: z.string(),
  subject: z.string(),
  topic: z.string(),
  study_id: z.optional(z.string()),
  body: z.optional(z.string()),
});
export type StartConversationRequest = z.infer<typeof StartConversationRequest>;

export const ConversationMessageRequest = z.object({
  conversation_id: z.string(),
  body: z.string(),
});
export type ConversationMessageRequest = z.infer<typeof ConversationMessageRequest>;

export const BroadcastRequest = z.object({
  /** Chosen by the client before the first attempt: the same ID again returns the same broadcast. */
  id: z.string(),
  study_id: z.string(),
  subject: z.string(),
  topic: z.string(),
  body: z.string(),
  recipient_ids: z.array(z.string()),
});
export type BroadcastRequest = z.infer<typeof BroadcastRequest>;

export const Broadcast = z.looseObject({
  id: z.string(),
  study_id: optionalText,
  subject: optionalText,
  topic: optionalText,
  body: optionalText,
  recipient_count: z.optional(z.nullable(z.number())),
  replied_count: z.optional(z.nullable(z.number())),
  datetime_created: optionalText,
});
export type Broadcast = z.infer<typeof Broadcast>;

/** A cursor page (`next` is a full URL or null). */
export function CursorPage<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({ results: z.nullable(z.array(item)), next: z.optional(z.nullable(z.string())) });
}
