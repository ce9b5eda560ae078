// The already-messaged guard's lookup, in the extension host against the fake: who already got
// this same text in this study, from this computer's history and from Prolific's record of the
// researcher's messages. Answering its question is a modal, exercised in the UI test
// (test/ui/interrupted.test.ts).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../../src/features/history/historyStore';
import { PROLIFIC_CHECK_LIMIT, findAlreadyMessaged } from '../../src/features/send/alreadyMessaged';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { SEED_IDS } from '../fake-prolific/seed';
import { connectToFake, fake, fakeToken, fakeUrl, type RecordedRequest } from '../support/extensionHost';

const STUDY = SEED_IDS.studies.reading;
const TEXT = 'Wave 2 is open: please take part by Friday.';
const pid = (n: number) => (0xa1000 + n).toString(16).padStart(24, '0');

describe('already messaged: who got this text before', () => {
  let dir: string;
  let store: HistoryStore;
  let client: ProlificClient;
  const log = vscode.window.createOutputChannel('Prolific already-messaged test', { log: true });

  before(async () => {
    await connectToFake();
    const base = parseBaseUrl(fakeUrl());
    assert.ok(base.ok);
    client = new ProlificClient({ baseUrl: base.url, token: fakeToken(), timeoutMs: 10_000, userAgent: 'test' });
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prolific-already-'));
    store = new HistoryStore(dir, () => 200);
    await fake('POST', 'reset');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(() => log.dispose());

  async function recordLocally(ids: string[], body: string): Promise<void> {
    const run = await store.startRun({ kind: 'bulk', studyId: STUDY, body, recipientCount: ids.length, items: ids.map((id) => ({ id })) });
    await run.trying(ids);
    await run.sent(ids);
    await run.end({ cancelled: false });
  }

  const recipients = (ids: string[], text = TEXT) => ids.map((id) => ({ id, text }));

  it("finds them in the history of this computer and in Prolific's record, and no one else", async () => {
    await recordLocally([pid(1), pid(2)], TEXT);
    await recordLocally([pid(4)], 'Another text altogether.');
    // Sent from elsewhere (the web app, a script): only Prolific knows.
    await client.sendMessage({ recipient_id: pid(3), body: `  ${TEXT}\n`, study_id: STUDY });
    const found = await findAlreadyMessaged(store, client, STUDY, TEXT, recipients([1, 2, 3, 4, 5].map(pid)), log);
    assert.deepEqual([...found.ids].sort(), [pid(1), pid(2), pid(3)]);
    assert.deepEqual([found.fromHistory, found.fromProlific, found.prolificNotChecked], [2, 1, undefined]);
  });

  it('does not count the same text in another study', async () => {
    await recordLocally([pid(1)], TEXT);
    await client.sendMessage({ recipient_id: pid(2), body: TEXT, study_id: SEED_IDS.studies.decisions });
    const found = await findAlreadyMessaged(store, client, STUDY, TEXT, recipients([pid(1), pid(2)]), log);
    assert.deepEqual([...found.ids], [pid(1)]);
  });

  it(`asks Prolific only for lists of up to ${PROLIFIC_CHECK_LIMIT}, and says so`, async () => {
    const many = Array.from({ length: PROLIFIC_CHECK_LIMIT + 1 }, (_, n) => pid(100 + n));
    await recordLocally([many[0]], TEXT);
    const found = await findAlreadyMessaged(store, client, STUDY, TEXT, recipients(many), log);
    assert.deepEqual([...found.ids], [many[0]]);
    assert.match(found.prolificNotChecked ?? '', /up to 100 participants/);
    const requests = await fake<RecordedRequest[]>('GET', 'requests');
    assert.equal(requests.filter((r) => r.path === '/api/v1/messages/' && r.method === 'GET').length, 0, 'no request per participant');
  });
});
