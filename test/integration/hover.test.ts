// The hover over a participant ID, through VS Code's own hover command in the extension host:
// what it shows from the local inbox copy and Sent history, that it asks Prolific nothing, and
// where it stays away (other words, the setting off, a language not chosen).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SEED_IDS, createSeed, participantId } from '../fake-prolific/seed';
import { connectToFake, fake, fakeToken, type RecordedRequest, type TestHandles, until } from '../support/extensionHost';

const P46 = participantId(46);
const NEW = participantId(73);

async function hoverText(content: string, column: number, language = 'markdown'): Promise<string> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    new vscode.Position(0, column),
  );
  return (
    hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .filter((text) => text.includes('Prolific participant'))
      .join('\n')
      // As rendered: appendText writes spaces as &nbsp; and escapes markdown's characters.
      .replace(/&nbsp;/g, ' ')
      .replace(/\\([^a-z0-9\s])/gi, '$1')
  );
}

describe('the hover over a participant ID', () => {
  let handles: TestHandles;
  const config = () => vscode.workspace.getConfiguration('prolific.participantHover');

  before(async () => {
    handles = await connectToFake();
    // As a user sets it: checked with Prolific, so the account's record is stored too.
    assert.equal(await handles.tokenController.setToken(fakeToken()), true);
    await fake('POST', 'reset');
  });

  afterEach(async () => {
    await config().update('enabled', undefined, vscode.ConfigurationTarget.Global);
    await config().update('languages', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the last message from the participant and the last one sent to them, asking Prolific nothing', async () => {
    const thread = await handles.inbox.thread(P46, true);
    const studyId = thread.messages.find((m) => m.studyId)!.studyId!;
    assert.deepEqual(await handles.messages.reply({ recipient_id: P46, study_id: studyId, body: 'Try another browser, please.' }), {
      ok: true,
    });
    const before = (await fake<RecordedRequest[]>('GET', 'requests')).length;

    const text = await until('the hover', async () => (await hoverText(`Ask ${P46} again`, 10)) || undefined);
    assert.match(text, new RegExp(`\`${P46}\``));
    assert.match(text, /Last from them: “/);
    assert.match(text, /Last sent to them: “Try another browser, please\.”/);
    assert.match(text, new RegExp(`Study: .*${studyId}`));
    for (const command of ['prolific.sendMessageToParticipant', 'prolific.inbox.open', 'prolific.showInStudies'])
      assert.ok(text.includes(`command:${command}?${encodeURIComponent(JSON.stringify([P46]))}`), command);
    assert.deepEqual((await fake<RecordedRequest[]>('GET', 'requests')).slice(before), [], 'no request');
  });

  it('says when nothing is known yet, and offers no conversation to open', async () => {
    const text = await hoverText(NEW.toUpperCase(), 3, 'csv');
    assert.match(text, /No messages with this participant on this computer yet\./);
    assert.ok(!text.includes('prolific.inbox.open'));
    assert.ok(text.includes(`command:prolific.sendMessageToParticipant?${encodeURIComponent(JSON.stringify([NEW]))}`), 'lower case');
  });

  it('stays away from other words, when turned off, and outside the chosen languages', async () => {
    assert.equal(await hoverText(`x${NEW}`, 5), '', 'part of a longer word');
    assert.equal(await hoverText(NEW.slice(1), 5), '', '23 characters');
    await config().update('languages', ['csv'], vscode.ConfigurationTarget.Global);
    assert.equal(await hoverText(NEW, 5, 'python'), '', 'python is not chosen');
    assert.notEqual(await hoverText(NEW, 5, 'csv'), '', 'csv is');
    await config().update('enabled', false, vscode.ConfigurationTarget.Global);
    assert.equal(await hoverText(NEW, 5, 'csv'), '', 'turned off');
  });

  it('shows nothing before an API token is set', async () => {
    await handles.tokenController.clear();
    try {
      assert.equal(await hoverText(NEW, 5), '');
    } finally {
      assert.equal(await handles.tokenController.setToken(fakeToken()), true);
    }
  });

  it('"Show in Studies" finds the participant\'s status in each study, reads each study once, and stops when cancelled', async () => {
    const seed = createSeed();
    // A participant of both waves of the two-wave study.
    const [id] = seed.submissions[SEED_IDS.studies.sleepWave2]
      .map((s) => s.participant_id)
      .filter((p) => seed.submissions[SEED_IDS.studies.sleepWave1].some((s) => s.participant_id === p));
    assert.ok(id);
    const expected = seed.studies.flatMap((study) =>
      (seed.submissions[study.id] ?? []).filter((s) => s.participant_id === id).map((s) => ({ name: study.name, status: s.status ?? '' })),
    );
    assert.equal(expected.length, 2);
    const submissionReads = async () => (await fake<RecordedRequest[]>('GET', 'requests')).filter((r) => r.path.endsWith('/submissions/'));

    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await handles.membership.find(id, cancelled.signal), undefined, 'cancelled before it began');
    await fake('POST', 'reset');
    assert.deepEqual(await handles.membership.find(id, new AbortController().signal), expected);
    const firstReads = (await submissionReads()).length;
    assert.ok(firstReads >= seed.studies.length - 1, `every study's submissions read (${firstReads} requests)`);
    assert.deepEqual(await handles.membership.find(id.toUpperCase().toLowerCase(), new AbortController().signal), expected);
    assert.equal((await submissionReads()).length, firstReads, 'the second look-up read no submissions again');
  });
});
