// What the user is told for each failure, from real errors the client raises against the fake.
import * as assert from 'node:assert/strict';
import { ProlificClient } from '../../src/prolific/client';
import { KeyringError, SettingsError } from '../../src/host/errors';
import { reportFailure } from '../../src/host/failures';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, participantId } from '../fake-prolific/seed';

const MESSAGES = '/api/v1/messages/';

describe('reportFailure', () => {
  let fake: FakeProlific;
  const client = (overrides: { token?: string; timeoutMs?: number; baseUrl?: string } = {}) =>
    new ProlificClient({
      baseUrl: new URL(overrides.baseUrl ?? fake.url),
      token: overrides.token ?? fake.token,
      timeoutMs: overrides.timeoutMs ?? 5_000,
      userAgent: 'prolific-messenger/test',
    });
  const send = (c = client()) => c.sendMessage({ recipient_id: participantId(1), study_id: SEED_IDS.studies.reading, body: 'Hello' });
  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => assert.fail('the request should fail'),
      (e: unknown) => e,
    );
    return reportFailure(error, 'Message not sent');
  };

  before(async () => (fake = await startFakeProlific()));
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  it('offers Set API Token on 401 and names the token, never its value', async () => {
    const report = await failure(send(client({ token: 'wrong-token-value' })));
    assert.match(report.message, /API token \(401\)/);
    assert.doesNotMatch(report.message, /wrong-token-value/);
    assert.ok(report.actions.includes('Set API Token'));
    assert.equal(report.mayHaveReachedServer, false);
  });

  it('names the fields Prolific rejected, by their labels', async () => {
    const report = await failure(client().sendMessage({ recipient_id: participantId(1), study_id: 'not-a-study', body: 'Hi' }));
    assert.match(report.message, /Study: /);
    assert.ok(report.fieldErrors.study_id);
  });

  it('offers Retry on a 500 and says the server may have acted', async () => {
    fake.inject({ path: MESSAGES, fault: { kind: 'status', status: 500 }, times: 1 });
    const report = await failure(send());
    assert.match(report.message, /500/);
    assert.ok(report.actions.includes('Retry'));
    assert.equal(report.mayHaveReachedServer, true);
  });

  it('says how long to wait on a 429 with Retry-After', async () => {
    fake.inject({ path: MESSAGES, fault: { kind: 'rateLimit', retryAfterSeconds: 7 }, times: 1 });
    const report = await failure(send());
    assert.match(report.message, /429\)\. Wait 7 seconds/);
  });

  it('names the base URL setting when the server cannot be reached', async () => {
    const closed = await startFakeProlific();
    const url = closed.url;
    await closed.close();
    const report = await failure(send(client({ baseUrl: url })));
    assert.match(report.message, /prolific\.apiBaseUrl/);
    assert.ok(report.actions.includes('Open Settings'));
  });

  it('names the timeout and the setting on a slow answer', async () => {
    fake.inject({ path: MESSAGES, fault: { kind: 'delay', ms: 1_000 }, times: 1 });
    const report = await failure(send(client({ timeoutMs: 100 })));
    assert.match(report.message, /did not answer/);
    assert.ok(report.actions.includes('Open Settings'));
  });

  describe('a 404 worded for its endpoint', () => {
    const UNKNOWN = 'f'.repeat(24);
    const notFound = async (promise: Promise<unknown>, what: string) => {
      const error = await promise.then(
        () => assert.fail('the request should fail'),
        (e: unknown) => e,
      );
      assert.equal((error as { status?: number }).status, 404, String(error));
      return reportFailure(error, what);
    };
    const cases = [
      {
        thing: 'an unknown study (its submissions)',
        request: () => client().listSubmissions(UNKNOWN),
        what: 'Could not list the submissions',
        says: `Could not list the submissions: Prolific has no study with the ID ${UNKNOWN}, or this token's account cannot see it (404).`,
      },
      {
        thing: 'an unknown participant group (a send to it)',
        request: () => client().sendToGroup({ participant_group_id: UNKNOWN, body: 'Hello', study_id: SEED_IDS.studies.reading }),
        what: 'Message not sent',
        says: `Message not sent: Prolific has no participant group with the ID ${UNKNOWN}, or this token's account cannot see it (404).`,
      },
      {
        thing: 'an unknown workspace (its groups)',
        request: () => client().listParticipantGroups(UNKNOWN),
        what: 'Could not list the participant groups',
        says: `Could not list the participant groups: Prolific has no workspace with the ID ${UNKNOWN}, or this token's account cannot see it (404).`,
      },
    ];
    for (const c of cases) {
      it(`${c.thing}: says what is missing, with no word of the base URL`, async () => {
        // The fake's own 404 for a thing it does not have, not an injected one.
        const report = await notFound(c.request(), c.what);
        assert.equal(report.message, c.says);
        assert.deepEqual(report.actions, ['Show Log']);
        assert.doesNotMatch(report.message, /apiBaseUrl/);
        assert.equal(report.mayHaveReachedServer, false);
        assert.ok(
          fake.requests.every((r) => r.fault === undefined),
          'no fault was injected',
        );
      });
    }

    it('a 404 on an endpoint that names nothing still points at prolific.apiBaseUrl', async () => {
      const wrongPrefix = client({ baseUrl: `${fake.url}/not-the-api/` });
      for (const request of [
        () => wrongPrefix.getMe(),
        () => send(wrongPrefix),
        () => wrongPrefix.getUnreadMessages(),
        () => wrongPrefix.listStudies(),
      ]) {
        const report = await notFound(request(), 'Message not sent');
        assert.match(
          report.message,
          /^Message not sent: Prolific rejected the request \(404 Not Found\): Not found\. Check that the setting "prolific\.apiBaseUrl" points at Prolific's API\.$/,
        );
        assert.deepEqual(report.actions, ['Open Settings', 'Show Log']);
      }
    });
  });

  it('passes settings and keyring failures through as sentences', () => {
    const settings = reportFailure(
      new SettingsError('The setting "prolific.apiBaseUrl" must use https.', 'apiBaseUrl'),
      'Message not sent',
    );
    assert.deepEqual(settings.actions, ['Open Settings']);
    assert.equal(settings.mayHaveReachedServer, false);
    const keyring = reportFailure(new KeyringError('VS Code could not read the token from the keyring.'), 'Message not sent');
    assert.match(keyring.message, /keyring/);
  });
});
