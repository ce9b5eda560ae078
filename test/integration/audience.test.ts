// Audience files (*.audience.json) in the real extension host against the fake Prolific API:
// every kind of source read through VS Code (workspace files, an editor's unsaved text, the local
// sent history), "Message This Audience" filling the compose form and sending to exactly the
// audience, the Sent entry keeping the file, the CodeLens count, the schema and completion; and
// every failure (unknown study, deleted group, missing file, a page failing) leaving the form
// untouched and sending nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AudienceOutcome } from '../../src/features/audience/audienceService';
import { SEED_IDS, createSeed, participantId } from '../fake-prolific/seed';
import { connectToFake, fake, until, type RecordedRequest, type SentMessage, type TestHandles } from '../support/extensionHost';

const seed = createSeed();
const W1 = SEED_IDS.studies.sleepWave1;
const W2 = SEED_IDS.studies.sleepWave2;
const W1_NAME = 'Sleep & Mood Diary (Wave 1)';
const idsWith = (study: string, ...statuses: string[]) =>
  seed.submissions[study].filter((s) => statuses.length === 0 || statuses.includes(s.status ?? '')).map((s) => s.participant_id);
const statusOf = (study: string, id: string) => seed.submissions[study].find((s) => s.participant_id === id)?.status;
const sorted = (ids: readonly string[]) => [...ids].sort();
/** Approved in wave 1 and not (yet) in wave 2: the two-wave reminder. */
const WAVE_2_PENDING = idsWith(W1, 'APPROVED').filter((id) => !idsWith(W2).includes(id));
const submissionsPath = (study: string) => `/api/v1/studies/${study}/submissions/`;

describe('audience files', function () {
  this.timeout(60_000);
  let handles: TestHandles;
  let folder: vscode.Uri;
  const config = () => vscode.workspace.getConfiguration('prolific');
  /** Files written by a test, deleted after it. */
  let written: vscode.Uri[] = [];

  async function write(path: string, content: unknown): Promise<vscode.Uri> {
    const uri = vscode.Uri.joinPath(folder, ...path.split('/'));
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    written.push(uri);
    return uri;
  }

  /** "Message This Audience" on the file; the outcome of its evaluation. */
  async function messageAudience(uri: vscode.Uri): Promise<AudienceOutcome> {
    await vscode.commands.executeCommand('prolific.audience.message', uri);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const latest = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const outcome = handles.audienceFiles.latestFor(uri, latest ? latest.getText() : text)?.outcome;
    assert.ok(outcome, 'the command evaluated the file');
    return outcome;
  }

  async function failures(uri: vscode.Uri): Promise<string[]> {
    const outcome = await messageAudience(uri);
    assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
    assert.equal(handles.audiences.get().kind, 'single', 'the compose form did not receive a partial audience');
    return outcome.kind === 'failed' ? outcome.failures.map((f) => f.message) : [];
  }

  async function members(uri: vscode.Uri): Promise<string[]> {
    const outcome = await messageAudience(uri);
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    return outcome.kind === 'result' ? outcome.result.members : [];
  }

  const posts = async () => (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.method === 'POST');

  before(async () => {
    handles = await connectToFake();
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'the suite runs with a workspace folder');
    folder = first.uri;
    // The confirmation dialog is modal; the UI test answers it.
    await config().update('bulkConfirmThreshold', 1_000_000, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await config().update('bulkConfirmThreshold', undefined, vscode.ConfigurationTarget.Global);
    handles.audiences.clear();
  });

  beforeEach(async () => {
    await fake('POST', 'reset');
    await fake('DELETE', 'faults');
    handles.audiences.clear();
  });

  afterEach(async () => {
    // Edited editors are reverted first: closing them would ask whether to save.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    written = [];
  });

  describe('Message This Audience', () => {
    it('fills the compose form with the audience, named after the file, and sends to exactly those', async () => {
      const audience = { include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ study: W2 }] };
      const uri = await write('reminders/wave2.audience.json', audience);
      assert.deepEqual(sorted(await members(uri)), sorted(WAVE_2_PENDING));
      const list = handles.audiences.get();
      assert.ok(list.kind === 'list');
      assert.equal(list.source, 'reminders/wave2.audience.json');
      assert.deepEqual(sorted(list.ids), sorted(WAVE_2_PENDING));
      assert.equal(handles.drafts.get().study_id, W1, 'the study the message is about: the first included');
      assert.equal((await posts()).length, 0, 'nothing is sent before the user sends');

      const body = 'Wave 2 is open: please take part this week.';
      assert.deepEqual(await handles.messages.send({ recipient_id: '', study_id: W1, body }), { ok: true });
      const sent = await fake<SentMessage[]>('GET', 'sent');
      assert.deepEqual(sorted(sent.map((m) => m.recipient_id)), sorted(WAVE_2_PENDING), 'exactly the audience, each once');
      assert.ok(sent.every((m) => m.body === body && m.study_id === W1));

      // The Sent entry keeps the file's name and its text when it was sent, even after it changes.
      const [latest] = await handles.history.list();
      await write('reminders/wave2.audience.json', { include: [{ study: W2 }] });
      const entry = await handles.history.get(latest.id);
      assert.deepEqual(entry?.audience, { file: 'reminders/wave2.audience.json', content: `${JSON.stringify(audience, null, 2)}\n` });
      assert.equal(entry?.source, 'reminders/wave2.audience.json');
    });

    it('personalizes with {{status}} and {{study_name}} of the including study', async () => {
      const two = idsWith(W2, 'RETURNED', 'TIMED-OUT');
      const uri = await write('returned.audience.json', {
        include: [{ study: W2, statuses: ['RETURNED', 'TIMED_OUT'] }],
      });
      assert.deepEqual(sorted(await members(uri)), sorted(two));
      const body = 'Your submission to {{study_name}} is {{status}}.';
      assert.deepEqual(await handles.messages.send({ recipient_id: '', study_id: W2, body }), { ok: true });
      const sent = await fake<SentMessage[]>('GET', 'sent');
      assert.deepEqual(sorted(sent.map((m) => m.recipient_id)), sorted(two));
      for (const m of sent)
        assert.equal(m.body, `Your submission to Sleep & Mood Diary (Wave 2) is ${statusOf(W2, m.recipient_id)}.`, m.recipient_id);
      const [latest] = await handles.history.list();
      assert.equal(latest.kind, 'personalized');
      assert.equal((await handles.history.get(latest.id))?.audience?.file, 'returned.audience.json');
    });

    it('says there is nobody to message when the audience is empty, and opens nothing', async () => {
      const uri = await write('empty.audience.json', { include: [{ study: W2 }], exclude: [{ study: W2 }] });
      assert.deepEqual(await members(uri), []);
      assert.equal(handles.audiences.get().kind, 'single');
    });

    it('works on the active editor from the palette, with its unsaved text', async () => {
      const uri = await write('active.audience.json', { include: [{ ids: [participantId(1)] }] });
      const editor = await vscode.window.showTextDocument(uri);
      const text = JSON.stringify({ include: [{ ids: [participantId(2), participantId(3)] }] });
      await editor.edit((e) => e.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), text));
      await vscode.commands.executeCommand('prolific.audience.message');
      const list = handles.audiences.get();
      assert.ok(list.kind === 'list');
      assert.deepEqual(list.ids, [participantId(2), participantId(3)]);
      assert.equal(list.audienceFile?.content, text, 'the text as evaluated, unsaved edits included');
    });
  });

  describe('every kind of source', () => {
    it('a study by name, with statuses in the underscore form', async () => {
      const uri = await write('byname.audience.json', { include: [{ study: 'sleep-w2', statuses: ['AWAITING_REVIEW', 'RESERVED'] }] });
      assert.deepEqual(sorted(await members(uri)), sorted(idsWith(W2, 'AWAITING REVIEW', 'RESERVED')));
      const pages = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === submissionsPath(W2));
      assert.equal(pages.length, 2, 'every page of the study (24 submissions, 20 a page)');
    });

    it('a participant group, by ID and by name', async () => {
      const pilot = seed.groups.find((g) => g.id === SEED_IDS.groups.pilot)!;
      const byId = await write('group.audience.json', { include: [{ group: pilot.id }] });
      assert.deepEqual(sorted(await members(byId)), sorted(pilot.members.map((m) => m.participant_id)));
      const followUp = seed.groups.find((g) => g.id === SEED_IDS.groups.followUp)!;
      const byName = await write('group-name.audience.json', { include: [{ group: followUp.name }] });
      assert.deepEqual(sorted(await members(byName)), sorted(followUp.members.map((m) => m.participant_id)));
    });

    it('IDs written in the file, compared case-insensitively with those from Prolific', async () => {
      const [a, b] = idsWith(W1, 'APPROVED');
      const uri = await write('ids.audience.json', {
        include: [{ study: W1, statuses: ['APPROVED'] }, { ids: [participantId(900).toUpperCase()] }],
        exclude: [{ ids: [a.toUpperCase(), b] }],
      });
      const got = await members(uri);
      assert.equal(got.length, idsWith(W1, 'APPROVED').length - 2 + 1);
      assert.ok(!got.includes(a) && !got.includes(b));
      assert.ok(got.includes(participantId(900)));
    });

    it("a workspace file: a CSV column, a detected column, any file's IDs, and an open editor's unsaved text", async () => {
      const [a, b, c] = [participantId(1), participantId(2), participantId(3)];
      await write('data/exclusions.csv', `name,pid\nAnn,${a}\nBo,${b.toUpperCase()}\n`);
      await write('data/people.csv', `participant_id,status\n${c},APPROVED\n`);
      const notes = await write('data/notes.md', `Write to ${a}.`);
      const uri = await write('files.audience.json', {
        include: [{ file: 'data/exclusions.csv', column: 'pid' }, { file: 'data/people.csv' }, { file: 'data/notes.md' }],
      });
      assert.deepEqual(await members(uri), [a, b, c]);
      // An open editor's text counts, saved or not.
      const editor = await vscode.window.showTextDocument(notes);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), `And ${participantId(4)}. `));
      assert.deepEqual(await members(uri), [a, b, c, participantId(4)]);
    });

    it('participants messaged within a time, from the local history', async () => {
      const [a, b] = idsWith(W1, 'APPROVED');
      const sendTo = await write('two.audience.json', { include: [{ ids: [a, b] }] });
      await members(sendTo);
      assert.deepEqual(await handles.messages.send({ recipient_id: '', study_id: W1, body: `Checking in ${Date.now()}` }), { ok: true });
      const uri = await write('not-messaged.audience.json', {
        include: [{ study: W1, statuses: ['APPROVED'] }],
        exclude: [{ messaged: { within: '1d' } }],
      });
      const outcome = await messageAudience(uri);
      assert.ok(outcome.kind === 'result', JSON.stringify(outcome));
      const { result } = outcome;
      assert.ok(!result.members.includes(a) && !result.members.includes(b), 'those just messaged are left out');
      assert.deepEqual(
        result.keptOutBy(a).map((r) => r.source.tag),
        ['exclude 1'],
      );
      assert.ok(result.members.every((id) => idsWith(W1, 'APPROVED').includes(id)));
    });
  });

  describe('failures: a sentence naming the source, the form untouched, nothing sent', () => {
    it('an unknown study', async () => {
      const missing = 'ab'.repeat(12);
      const uri = await write('unknown-study.audience.json', { include: [{ study: W1 }], exclude: [{ study: missing }] });
      assert.deepEqual(await failures(uri), [
        `exclude 1: study "${missing}": Prolific has no study with the ID ${missing}, or this token's account cannot see it (404).`,
      ]);
      assert.equal((await posts()).length, 0);
    });

    it('a deleted group', async () => {
      const retired = SEED_IDS.groups.retired;
      const uri = await write('retired.audience.json', { include: [{ group: retired }] });
      assert.deepEqual(await failures(uri), [
        `include 1: participant group "${retired}": the participant group "Retired panel" (${retired}) was deleted.`,
      ]);
      assert.equal((await posts()).length, 0);
    });

    it('a missing file, named with the workspace folder it was looked for in', async () => {
      const uri = await write('missing-file.audience.json', { include: [{ study: W2 }, { file: 'data/gone.csv' }] });
      const name = vscode.workspace.workspaceFolders![0].name;
      assert.deepEqual(await failures(uri), [
        `include 2: file data/gone.csv: the file data/gone.csv does not exist in the workspace folder "${name}".`,
      ]);
    });

    it('a page that fails half-way through a study: no partial audience is ever sent to', async () => {
      // The first page is answered (the delay rule is used up), the second gets a 500.
      await fake('POST', 'faults', { path: submissionsPath(W1), times: 1, fault: { kind: 'delay', ms: 0 } });
      await fake('POST', 'faults', { path: submissionsPath(W1), times: 1, fault: { kind: 'status', status: 500 } });
      const uri = await write('partial.audience.json', { include: [{ study: W1 }] });
      const [message] = await failures(uri);
      assert.match(message, /^include 1: study ".*?": .*500/);
      assert.equal((await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path === submissionsPath(W1)).length, 2);
      assert.equal((await posts()).length, 0);
    });

    it('a file that is not a valid audience: each problem named by its place, nothing asked of Prolific', async () => {
      const uri = await write('invalid.audience.json', { include: [{ study: W1, statuses: ['APROVED'] }], exclude: [{ colour: 'red' }] });
      const outcome = await messageAudience(uri);
      assert.ok(outcome.kind === 'invalid');
      assert.deepEqual(
        outcome.problems.map((p) => p.path),
        ['include[0].statuses[0]', 'exclude[0]'],
      );
      // (The inbox may poll for messages meanwhile: only the audience's own requests count.)
      const asked = (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) =>
        /\/(studies|workspaces|participant-groups)\//.test(r.path),
      );
      assert.deepEqual(asked, []);
      assert.equal(handles.audiences.get().kind, 'single');
    });
  });

  describe('editing help', () => {
    it('shows the count in the CodeLens, with Preview and Message…', async () => {
      const uri = await write('lens.audience.json', { include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ study: W2 }] });
      await vscode.window.showTextDocument(uri);
      const titles = await until('the CodeLens to show a count', async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
        const list = lenses.map((l) => l.command?.title ?? '');
        return /^\d+ participants$/.test(list[0] ?? '') ? list : undefined;
      });
      assert.deepEqual(titles, [`${WAVE_2_PENDING.length} participants`, 'Preview', 'Message…']);
    });

    it('previews who is in and why, read-only', async () => {
      const uri = await write('preview.audience.json', { include: [{ study: W1, statuses: ['APPROVED'] }], exclude: [{ study: W2 }] });
      await vscode.commands.executeCommand('prolific.audience.preview', uri);
      const preview = await until('the preview to open', () =>
        vscode.window.visibleTextEditors.map((e) => e.document).find((d) => d.uri.scheme === 'prolific-audience'),
      );
      const text = preview.getText();
      assert.match(text, new RegExp(`\\*\\*${WAVE_2_PENDING.length} participants\\*\\* in the audience; 18 kept out by the exclusions`));
      assert.ok(text.includes(`| ${WAVE_2_PENDING[0]} | yes | include 1 (APPROVED) |  |`), text);
      assert.equal(text.split('\n').filter((l) => / \| no \| include 1 \(APPROVED\) \| exclude 1 \(/.test(l)).length, 18);
      assert.ok(text.includes(W1_NAME.replace('&', '\\&')), 'sources named with what Prolific calls them');
    });

    it('serves the JSON schema and completes study IDs from the account', async () => {
      const schema = await vscode.workspace.openTextDocument(vscode.Uri.parse('prolific-schema:/audience.schema.json'));
      const json = JSON.parse(schema.getText()) as { properties: Record<string, unknown>; required: string[] };
      assert.ok('include' in json.properties && 'exclude' in json.properties);
      const uri = await write('complete.audience.json', '{ "include": [ { "study": "" } ] }\n');
      await vscode.window.showTextDocument(uri);
      const items = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        new vscode.Position(0, 27),
      );
      const w1 = items.items.find((i) => typeof i.label !== 'string' && i.label.label === W1_NAME);
      assert.ok(w1, items.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)).join(', '));
      assert.equal(w1.insertText, JSON.stringify(W1));
    });
  });
});
