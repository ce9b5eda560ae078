// Evaluating audience files against the fake Prolific API over loopback (real sockets, the real
// API client): every kind of source, every page of every list, and every way a source can fail,
// each failure a sentence naming the source and never a partial result.
import assert from 'node:assert/strict';
import { parseAudience } from '../../src/features/audience/audienceFormat';
import { evaluateAudience, type AudienceEvaluation, type AudienceResult } from '../../src/features/audience/audienceEvaluation';
import { PER_PARTICIPANT_LIMIT, type AudienceEnvironment, type SentRecord } from '../../src/features/audience/audienceSources';
import { baseUrlOf } from '../support/fakeBaseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { SEED_IDS, createSeed, participantId } from '../fake-prolific/seed';

const TOKEN = 'tok_AUDIENCE_0a1b2c3d4e5f60718293';
const seed = createSeed();
const W1 = SEED_IDS.studies.sleepWave1;
const W2 = SEED_IDS.studies.sleepWave2;
const submissionsPath = (study: string) => `/api/v1/studies/${study}/submissions/`;
const idsWith = (study: string, ...statuses: (string | null)[]) =>
  seed.submissions[study].filter((s) => statuses.length === 0 || statuses.includes(s.status)).map((s) => s.participant_id);
const sorted = (ids: readonly string[]) => [...ids].sort();

describe('audience files evaluated against the fake', function () {
  this.timeout(15_000);
  let fake: FakeProlific;
  let base: URL;
  let files: Record<string, string>;
  let history: SentRecord[];

  const client = (token = TOKEN) => new ProlificClient({ baseUrl: base, token, timeoutMs: 5_000, userAgent: 'test' });
  const environment = (extra: Partial<AudienceEnvironment> = {}): AudienceEnvironment => ({
    api: client(),
    readFile: async (path) => {
      if (!(path in files)) throw new Error(`the file ${path} does not exist in the workspace folder "study".`);
      return files[path];
    },
    sentHistory: async () => history,
    ...extra,
  });

  async function evaluate(audience: unknown, extra: Partial<AudienceEnvironment> = {}): Promise<AudienceEvaluation> {
    const parsed = parseAudience(JSON.stringify(audience));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    return evaluateAudience(parsed.spec, environment(extra));
  }

  async function result(audience: unknown, extra: Partial<AudienceEnvironment> = {}): Promise<AudienceResult> {
    const evaluation = await evaluate(audience, extra);
    assert.ok(evaluation.ok, JSON.stringify(!evaluation.ok && evaluation.failures));
    return evaluation.result;
  }

  async function failures(audience: unknown, extra: Partial<AudienceEnvironment> = {}): Promise<string[]> {
    const evaluation = await evaluate(audience, extra);
    assert.ok(!evaluation.ok, 'expected the evaluation to fail');
    for (const f of evaluation.failures) assert.ok(!f.message.includes(TOKEN), 'the token is in no message');
    return evaluation.failures.map((f) => f.message);
  }

  before(async () => {
    fake = await startFakeProlific({ token: TOKEN });
    base = baseUrlOf(fake);
  });
  beforeEach(() => {
    fake.reset();
    files = {};
    history = [];
  });
  after(async () => fake?.close());

  describe('study sources', () => {
    it('reads every page of a study and keeps the statuses asked for', async () => {
      const r = await result({ include: [{ study: W1, statuses: ['APPROVED'] }] });
      assert.deepEqual(sorted(r.members), sorted(idsWith(W1, 'APPROVED')));
      assert.equal(r.members.length, 28);
      assert.equal(fake.requests.filter((q) => q.path === submissionsPath(W1)).length, 3, '48 submissions, 20 a page');
      assert.equal(r.sources[0].label, 'include 1: study "Sleep & Mood Diary (Wave 1)" (APPROVED)');
      assert.deepEqual(r.rows()[0], { participant_id: r.members[0], status: 'APPROVED', study_name: 'Sleep & Mood Diary (Wave 1)' });
    });

    it('finds a study by name or internal name, and reads statuses in the underscore form', async () => {
      const byName = await result({ include: [{ study: 'sleep & mood diary (wave 2)', statuses: ['AWAITING_REVIEW', 'TIMED_OUT'] }] });
      assert.deepEqual(sorted(byName.members), sorted(idsWith(W2, 'AWAITING REVIEW', 'TIMED-OUT')));
      const byInternal = await result({ include: [{ study: 'sleep-w2', statuses: ['SCREENED OUT', 'RESERVED'] }] });
      assert.deepEqual(sorted(byInternal.members), sorted(idsWith(W2, 'RESERVED')));
    });

    it('takes every status, a submission without one included, when statuses are left out', async () => {
      const r = await result({ include: [{ study: SEED_IDS.studies.memory }] });
      assert.deepEqual(sorted(r.members), sorted(idsWith(SEED_IDS.studies.memory)));
      const sparse = seed.submissions[SEED_IDS.studies.memory].find((s) => s.status === null)!.participant_id;
      assert.deepEqual(
        r.putInBy(sparse).map((why) => [why.source.tag, why.status]),
        [['include 1', '']],
      );
    });

    it('evaluates a two-wave follow-up: approved in wave 1, not yet in wave 2, and says why', async () => {
      const r = await result({ include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ study: W2 }] });
      const wave2 = new Set(idsWith(W2));
      const expected = idsWith(W1, 'APPROVED').filter((id) => !wave2.has(id));
      assert.equal(expected.length, 10);
      assert.deepEqual(sorted(r.members), sorted(expected));
      assert.equal(r.keptOut.length, 18);
      const kept = r.keptOut[0];
      assert.deepEqual(
        r.keptOutBy(kept).map((why) => why.source.tag),
        ['exclude 1'],
      );
      assert.equal(r.keptOutBy(kept)[0].status, seed.submissions[W2].find((s) => s.participant_id === kept)?.status);
      assert.deepEqual(r.messageStudy, { id: W1, name: 'Sleep & Mood Diary (Wave 1)' });
    });

    it('uses messageStudy, by name, for the study the message is about', async () => {
      const r = await result({ messageStudy: 'Sleep & Mood Diary (Wave 2)', include: [{ study: W1, statuses: ['APPROVED'] }] });
      assert.deepEqual(r.messageStudy, { id: W2, name: 'Sleep & Mood Diary (Wave 2)' });
    });
  });

  describe('groups, listed IDs and files', () => {
    it('reads a group by ID and by name', async () => {
      const pilot = seed.groups.find((g) => g.id === SEED_IDS.groups.pilot)!;
      const byId = await result({ include: [{ group: pilot.id }] });
      assert.deepEqual(sorted(byId.members), sorted(pilot.members.map((m) => m.participant_id)));
      const byName = await result({ include: [{ group: 'follow-up PANEL' }] });
      assert.deepEqual(sorted(byName.members), sorted(seed.groups[1].members.map((m) => m.participant_id)));
      assert.equal(byName.sources[0].label, 'include 1: participant group "Follow-up panel"');
    });

    it('compares listed IDs case-insensitively with those from Prolific', async () => {
      const [a, b] = idsWith(W1, 'APPROVED');
      const r = await result({ include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ ids: [a.toUpperCase(), b] }] });
      assert.ok(!r.members.includes(a) && !r.members.includes(b));
      assert.equal(r.members.length, 26);
      assert.deepEqual(r.keptOut.slice(0, 2), [a, b]);
    });

    it('reads a CSV column by its header, a detected one, a TSV, and every ID of any other file', async () => {
      const [a, b, c] = [participantId(1), participantId(2), participantId(3)];
      files['data/exclusions.csv'] = `name,pid,notes\nAnn,${a},x\nBo,not-an-id,y\nCy,${b.toUpperCase()},z\n`;
      files['data/people.csv'] = `participant_id,status\n${c},APPROVED\n`;
      files['data/more.tsv'] = `PROLIFIC_PID\tscore\n${a}\t3\n`;
      files['notes/follow-ups.md'] = `Write to ${b} and ${c} again (not 1234).`;
      const csv = await result({ include: [{ file: 'data/exclusions.csv', column: 'pid' }] });
      assert.deepEqual(csv.members, [a, b]);
      assert.deepEqual(csv.invalid, ['not-an-id']);
      assert.match(csv.sources[0].warnings[0], /not-an-id/);
      assert.deepEqual((await result({ include: [{ file: 'data/people.csv' }] })).members, [c]);
      assert.deepEqual((await result({ include: [{ file: 'data/more.tsv' }] })).members, [a]);
      assert.deepEqual((await result({ include: [{ file: 'notes/follow-ups.md' }] })).members, [b, c]);
    });
  });

  describe('participants messaged within a time', () => {
    it("counts this computer's sends in the time, and those that may have arrived, but not older ones", async () => {
      const [a, b, c, d] = [1, 2, 3, 4].map((n) => participantId(500 + n));
      const now = Date.now();
      history = [
        {
          time: new Date(now - 3_600_000).toISOString(),
          outcomes: [
            { id: a, status: 'sent' },
            { id: b, status: 'failed', retryable: false },
          ],
        },
        { time: new Date(now - 3_600_000).toISOString(), outcomes: [{ id: c, status: 'failed', retryable: true }] },
        { time: new Date(now - 9 * 86_400_000).toISOString(), outcomes: [{ id: d, status: 'sent' }] },
      ];
      const r = await result({ include: [{ ids: [a, b, c, d] }], exclude: [{ messaged: { within: '7d' } }] });
      assert.deepEqual(r.members, [c, d]);
    });

    it("places the researcher's messages in Prolific's record by their thread", async () => {
      // The seed's reply to participant 3 is in the thread participant 3 started, three days ago.
      const r = await result({ include: [{ messaged: { within: '7d' } }] });
      assert.deepEqual(r.members, [participantId(3)]);
      assert.deepEqual(r.sources[0].warnings, []);
      const since = fake.requests.find((q) => q.path === '/api/v1/messages/')?.query['created_after'];
      assert.ok(since && Math.abs(Date.parse(since) - (Date.now() - 7 * 86_400_000)) < 60_000, since);
      assert.deepEqual((await result({ include: [{ messaged: { within: '2d' } }] })).members, []);
    });

    it('places messages by the inbox copy, and asks about each included participant when some stay unplaced', async () => {
      const approved = idsWith(W1, 'APPROVED');
      const [viaWebApp, viaInbox] = approved;
      await client().sendMessage({ recipient_id: viaWebApp, body: 'Reminder', study_id: W1 });
      await client().sendMessage({ recipient_id: viaInbox, body: 'Reminder', study_id: W1 });
      const sentByInbox = (await client().getMessages({ userId: viaInbox })).find((m) => m.body === 'Reminder')!;
      fake.requests.length = 0;
      const known = { byMessage: new Map([[sentByInbox.id, viaInbox]]), byChannel: new Map<string, string>() };
      const r = await result(
        { include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ messaged: { within: '7d' } }] },
        { knownParticipants: async () => known },
      );
      assert.ok(!r.members.includes(viaWebApp) && !r.members.includes(viaInbox));
      assert.equal(r.members.length, approved.length - 2);
      const lookups = fake.requests.filter((q) => q.query['user_id'] !== undefined).map((q) => q.query['user_id']);
      assert.deepEqual(sorted(lookups), sorted(approved.filter((id) => id !== viaInbox)), 'one request per participant not yet known');
    });

    it(`warns, instead of asking, when more than ${PER_PARTICIPANT_LIMIT} participants would need asking`, async () => {
      await client().sendMessage({ recipient_id: participantId(30), body: 'Reminder', study_id: SEED_IDS.studies.reading });
      fake.requests.length = 0;
      const everyone = Array.from({ length: PER_PARTICIPANT_LIMIT + 1 }, (_, i) => participantId(600 + i));
      const r = await result({ include: [{ ids: everyone }], exclude: [{ messaged: { within: '1w' } }] });
      assert.equal(r.members.length, everyone.length);
      assert.match(r.sources[1].warnings[0], /1 of your messages .* may have been messaged/);
      assert.equal(fake.requests.filter((q) => q.query['user_id'] !== undefined).length, 0);
    });
  });

  describe('failures: a sentence naming the source, and no result', () => {
    it('an unknown study ID', async () => {
      const missing = 'ab'.repeat(12);
      assert.deepEqual(await failures({ include: [{ study: missing }] }), [
        `include 1: study "${missing}": Prolific has no study with the ID ${missing}, or this token's account cannot see it (404).`,
      ]);
    });

    it('a study name that none or several studies have', async () => {
      const [none] = await failures({ include: [{ study: W1 }], exclude: [{ study: 'Sleep Diary' }] });
      assert.match(none, /^exclude 1: study "Sleep Diary": none of your 6 studies is named "Sleep Diary"/);
      const twins = { results: seed.studies.slice(4).map((s) => ({ ...s, name: 'Twins' })), _links: { next: { href: null } } };
      fake.inject({ path: '/api/v1/studies/', times: 1, fault: { kind: 'status', status: 200, body: twins } });
      const [several] = await failures({ include: [{ study: 'twins' }] });
      assert.match(several, new RegExp(`^include 1: study "twins": 2 of your studies are named "twins" \\(${W1}, ${W2}\\)`));
    });

    it('a deleted group, an unknown group and a group name nobody has', async () => {
      assert.deepEqual(await failures({ include: [{ group: SEED_IDS.groups.retired }] }), [
        `include 1: participant group "${SEED_IDS.groups.retired}": the participant group "Retired panel" (${SEED_IDS.groups.retired}) was deleted.`,
      ]);
      assert.match((await failures({ include: [{ group: 'Retired panel' }] }))[0], /was deleted\.$/);
      const missing = 'cd'.repeat(12);
      assert.match(
        (await failures({ include: [{ group: missing }] }))[0],
        /^include 1: .*no participant group with the ID cdcd.*\(404\)\.$/,
      );
      assert.match((await failures({ include: [{ group: 'Nobody' }] }))[0], /none of your 3 participant groups is named "Nobody"/);
    });

    it('a missing file, a missing column, and a column for a file without columns', async () => {
      files['ok.csv'] = 'participant_id,name\n';
      files['list.txt'] = participantId(1);
      files['notes.csv'] = 'name,comment\nAnn,fine\n';
      const messages = await failures({
        include: [
          { file: 'data/missing.csv' },
          { file: 'ok.csv', column: 'pid' },
          { file: 'list.txt', column: 'pid' },
          { file: 'notes.csv' },
        ],
      });
      assert.deepEqual(messages, [
        'include 1: file data/missing.csv: the file data/missing.csv does not exist in the workspace folder "study".',
        'include 2: file ok.csv, column "pid": ok.csv has no column "pid"; its columns are: participant_id, name.',
        'include 3: file list.txt, column "pid": "column" applies to CSV and TSV files only; list.txt is read for every participant ID in it.',
        'include 4: file notes.csv: no column of notes.csv holds participant IDs: name the column with "column".',
      ]);
    });

    it('a page that fails half-way through a study: no partial result', async () => {
      // The first page is answered (the delay rule is used up), the second gets a 500.
      fake.inject({ path: submissionsPath(W1), times: 1, fault: { kind: 'delay', ms: 0 } });
      fake.inject({ path: submissionsPath(W1), times: 1, fault: { kind: 'status', status: 500 } });
      const evaluation = await evaluate({ include: [{ study: W1 }, { study: W2 }] });
      assert.ok(!evaluation.ok);
      assert.equal(evaluation.failures.length, 1);
      assert.match(evaluation.failures[0].message, /^include 1: study ".*?": .*500/);
      assert.equal(fake.requests.filter((q) => q.path === submissionsPath(W1)).length, 2);
    });

    it('a refused token: said once, with its fix, not once per source', async () => {
      const evaluation = await evaluate({ include: [{ study: W1 }, { group: SEED_IDS.groups.pilot }] }, { api: client('wrong-token') });
      assert.ok(!evaluation.ok);
      assert.equal(evaluation.failures.length, 1);
      assert.match(evaluation.failures[0].message, /rejected the API token \(401\)/);
      assert.ok(evaluation.failures[0].actions.includes('Set API Token'));
    });

    it('an unknown messageStudy, reported with the sources', async () => {
      const messages = await failures({ messageStudy: 'Wave 9', include: [{ study: W1 }, { study: 'ef'.repeat(12) }] });
      assert.equal(messages.length, 2);
      assert.match(messages[1], /^messageStudy "Wave 9": none of your 6 studies is named "Wave 9"/);
    });

    it('cancelled: no result, and said to be cancelled', async () => {
      const controller = new AbortController();
      fake.inject({ path: submissionsPath(W1), fault: { kind: 'delay', ms: 2_000 } });
      const evaluating = evaluate({ include: [{ study: W1 }] }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const evaluation = await evaluating;
      assert.ok(!evaluation.ok && evaluation.cancelled);
    });
  });
});
