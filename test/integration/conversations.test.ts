// A message with a subject starts a conversation where Prolific has them (docs/prolific-api/messages.md
// § 6); where it does not (404), the form offers no subject and messages go out as before, with no
// error for it. The message service against the fake, inside the extension host.
import * as assert from 'node:assert/strict';
import { connectToFake, fake, storeFakeToken, type RecordedRequest, type SentMessage, type TestHandles } from '../support/extensionHost';

const RECIPIENT = '5f8d0c3e4b2a1c0012345678';
const PROBE = '/api/v1/conversations/';

describe('conversations from the message service', () => {
  let handles: TestHandles;
  let studyId: string;

  /** A new token (the same one again) makes the window ask Prolific afresh, as after signing in. */
  async function signInAgain(): Promise<void> {
    await handles.tokens.clear();
    await storeFakeToken(handles);
  }

  const probes = async () => (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === PROBE && r.query['limit'] === '1');

  before(async () => {
    handles = await connectToFake();
    const { studies } = await handles.messages.listStudies();
    studyId = studies[0].id;
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    await handles.drafts.update({ recipient_id: '', study_id: '', subject: '', topic: '', body: '' });
  });

  after(async () => {
    await fake('POST', 'conversations', { enabled: true });
    await signInAgain();
  });

  it('asks Prolific once per account whether it has conversations, and again after the token changes', async () => {
    await fake('POST', 'reset');
    await signInAgain(); // the inbox's refresh asks first (it lists conversations where there are): one probe in all
    const answers = await Promise.all([handles.messages.features(), handles.messages.features(), handles.messages.features()]);
    assert.deepEqual(answers, Array(3).fill({ subjects: true, broadcasts: true }));
    assert.equal((await probes()).length, 1, 'one probe for three askers');
    await handles.messages.features();
    assert.equal((await probes()).length, 1, 'kept for the window');
    await signInAgain();
    await handles.messages.features();
    assert.equal((await probes()).length, 2, 'asked again for the new token');
  });

  it("tells an open form when the token changes, with the new account's answer", async () => {
    assert.deepEqual(await handles.messages.features(), { subjects: true, broadcasts: true });
    await fake('POST', 'conversations', { enabled: false });
    await handles.tokens.clear();
    const told = new Promise<{ subjects: boolean; broadcasts: boolean }>((resolve) => {
      const subscription = handles.messages.onDidChangeFeatures(async () => {
        subscription.dispose();
        resolve(await handles.messages.features());
      });
    });
    await storeFakeToken(handles);
    assert.deepEqual(await told, { subjects: false, broadcasts: false }, 'not the answer kept for the token before');
    await fake('POST', 'conversations', { enabled: true });
    await signInAgain();
  });

  it('starts a conversation with the subject and topic, and clears them from the draft', async () => {
    await handles.messages.features();
    const draft = {
      recipient_id: RECIPIENT,
      study_id: studyId,
      subject: ' Your payment ',
      topic: 'payment-timing',
      body: 'It is on its way.',
    };
    await handles.drafts.update(draft);
    assert.deepEqual(await handles.messages.send(draft), { ok: true });
    const posts = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => [r.path, r.body]),
      [
        [
          PROBE,
          { recipient_id: RECIPIENT, subject: 'Your payment', topic: 'payment-timing', study_id: studyId, body: 'It is on its way.' },
        ],
      ],
    );
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(
      sent.map((m) => [m.recipient_id, m.via, typeof m.conversation_id]),
      [[RECIPIENT, 'conversation', 'string']],
    );
    assert.deepEqual(handles.drafts.get(), { recipient_id: '', study_id: studyId, body: '' }, 'subject and topic gone with the message');
  });

  it('where Prolific has no conversations (404): no subject offered, a kept subject refused by name, plain messages as before', async () => {
    await fake('POST', 'conversations', { enabled: false });
    await signInAgain();
    assert.deepEqual(await handles.messages.features(), { subjects: false, broadcasts: false });
    const withSubject = { recipient_id: RECIPIENT, study_id: studyId, subject: 'Your payment', topic: 'payment-timing', body: 'Hello' };
    const refused = await handles.messages.send(withSubject);
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? (refused.fieldErrors.subject ?? '') : '', /no conversations yet: clear the subject/);
    assert.deepEqual(await fake<SentMessage[]>('GET', 'sent'), []);
    assert.deepEqual(await handles.messages.send({ recipient_id: RECIPIENT, study_id: studyId, body: 'Hello' }), { ok: true });
    const sent = await fake<SentMessage[]>('GET', 'sent');
    assert.deepEqual(
      sent.map((m) => [m.recipient_id, m.via, m.body]),
      [[RECIPIENT, 'single', 'Hello']],
    );
  });
});
