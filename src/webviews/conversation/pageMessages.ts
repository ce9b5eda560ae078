// What arrives from the conversation page is untrusted: checked here before use.
import * as z from 'zod/mini';
import type { ConversationPageMessage } from './protocol';

const message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('openInProlific') }),
  z.object({ type: z.literal('reply'), requestId: z.number().check(z.int(), z.nonnegative()), body: z.string().check(z.maxLength(100_000)) }),
]);

export function parseConversationPageMessage(value: unknown): ConversationPageMessage | undefined {
  const result = message.safeParse(value);
  return result.success ? result.data : undefined;
}
