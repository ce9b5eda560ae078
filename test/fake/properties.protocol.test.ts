// Property-based test for the webview protocol's way to the API: a message the compose page posts
// that the host drops (parsePageMessage) or refuses (validateDraft) never reaches the Prolific API.
// The post is real, to the fake, so a send would be seen. The parsers' own properties:
// test/unit/properties.protocol.test.ts.
//
// One seed per run; fast-check prints it with any counterexample, and FC_SEED=<seed> replays that run.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { holdsAsync } from '../support/random';
import { PAGE_SHAPES, anything, nearMiss, validPageMessage, withExtraKeys } from '../support/protocolArbitraries';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { parsePageMessage } from '../../src/webviews/compose/protocol';
import { normalizeDraft, validateDraft } from '../../src/shared/draft';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';

describe('properties: webview protocol', function () {
  this.timeout(120_000);

  describe('a rejected message never reaches the API', () => {
    let fake: FakeProlific;
    let client: ProlificClient;

    before(async () => {
      fake = await startFakeProlific();
      const base = parseBaseUrl(fake.url);
      assert.ok(base.ok);
      client = new ProlificClient({ baseUrl: base.url, token: fake.token, timeoutMs: 5_000, userAgent: 'prolific-messenger/test' });
    });

    after(async () => {
      await fake?.close();
    });

    /**
     * The host's path from a compose-page message to the API, in the order the extension takes it:
     * WebviewHost (ComposeController.attach) drops what parsePageMessage rejects; MessageService.send refuses a draft
     * validateDraft finds fault with (it also needs a token and VS Code, which this test leaves out);
     * only then does the client post. Here the post is real, to the fake, so a send would be seen.
     */
    async function deliver(raw: unknown): Promise<'rejected' | 'not a send' | 'invalid draft' | 'sent'> {
      const message = parsePageMessage(raw);
      if (!message) return 'rejected';
      if (message.type !== 'send') return 'not a send';
      if (Object.keys(validateDraft(message.draft)).length > 0) return 'invalid draft';
      // A 4xx from the fake is fine: the request reached it, which is what is counted.
      await client.sendMessage(normalizeDraft(message.draft)).catch(() => undefined);
      return 'sent';
    }

    it('nothing is posted for a message parsePageMessage rejects or validateDraft refuses', async () => {
      const outcomes: Record<string, number> = {};
      const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 24, maxLength: 24 });
      // Sends that pass every check, so the test shows that a real send is seen by the fake.
      const goodSend = fc.record({
        type: fc.constant('send'),
        requestId: fc.nat(),
        seq: fc.nat(),
        draft: fc.record({ recipient_id: hex24, study_id: hex24, body: fc.string({ minLength: 1 }).filter((b) => b.trim() !== '') }),
      });
      const value = fc.oneof(anything, nearMiss(Object.keys(PAGE_SHAPES)), withExtraKeys(validPageMessage), goodSend);
      await holdsAsync(
        'a rejected page message never reaches the API',
        300,
        value,
        async (raw) => {
          const before = fake.requests.length;
          const outcome = await deliver(raw);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          assert.equal(fake.requests.length - before, outcome === 'sent' ? 1 : 0, `${outcome}: ${fc.stringify(raw).slice(0, 200)}`);
        },
        () =>
          ` (${Object.entries(outcomes)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')})`,
      );
      assert.ok(outcomes.rejected > 0 && outcomes.sent > 0, `not both rejected and sent cases: ${JSON.stringify(outcomes)}`);
    });
  });
});
