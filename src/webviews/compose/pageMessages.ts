// What arrives from the page is untrusted: every message is checked here before use.
import * as z from 'zod/mini';
import type { PageMessage } from './protocol';

const MAX_FIELD = 100_000;
const draft = z.object({
  recipient_id: z.string().check(z.maxLength(200)),
  study_id: z.string().check(z.maxLength(200)),
  body: z.string().check(z.maxLength(MAX_FIELD)),
});
const requestId = z.number().check(z.int(), z.nonnegative());
const seq = requestId;
const changes = z.partial(draft);

const pageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('draftChanged'), seq, changes }),
  z.object({ type: z.literal('send'), requestId, seq, draft }),
  z.object({ type: z.literal('listStudies'), requestId }),
  z.object({ type: z.literal('clearAudience') }),
  z.object({ type: z.literal('preview'), requestId, body: z.string().check(z.maxLength(MAX_FIELD)) }),
]);

export function parsePageMessage(value: unknown): PageMessage | undefined {
  const result = pageMessage.safeParse(value);
  return result.success ? result.data : undefined;
}
