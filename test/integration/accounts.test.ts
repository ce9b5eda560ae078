// The "Prolific" authentication provider in a real extension host: sessions come from the stored
// token's account record (named by GET /users/me/), VS Code hears of every set and clear, whatever
// path made it, and the token itself is kept nowhere but SecretStorage.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ProlificAccount } from '../../src/features/account/account';
import type { ProlificAuthProvider } from '../../src/features/account/authProvider';
import type { TokenController } from '../../src/features/account/tokenController';
import { activate, fake, fakeToken, fakeUrl, pointAtFake, type RecordedRequest, type TestHandles, until } from '../support/extensionHost';

type Handles = TestHandles & {
  tokenController: TokenController;
  account: ProlificAccount;
  authProvider: ProlificAuthProvider;
  globalState: vscode.Memento;
  logUri: vscode.Uri;
};

const RESEARCHER = { id: '', label: 'Ada Byron' };

/** The next change VS Code reports for the Prolific provider (through its own event, not ours). */
function nextSessionChange(): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id !== 'prolific') return;
      subscription.dispose();
      resolve();
    });
  });
}

describe('the Prolific account (authentication provider)', function () {
  this.timeout(30_000);
  let handles: Handles;
  const requests = () => fake<RecordedRequest[]>('GET', 'requests');
  const sessions = () => handles.authProvider.getSessions();

  before(async () => {
    handles = (await activate()) as Handles;
    assert.ok(handles.authProvider && handles.account && handles.globalState, 'the test handles include the account and its provider');
    await pointAtFake();
    const me = await fetch(`${fakeUrl()}/api/v1/users/me/`, { headers: { Authorization: `Token ${fakeToken()}` } });
    RESEARCHER.id = ((await me.json()) as { id: string }).id;
  });

  beforeEach(async () => {
    if (handles.account.get() || (await handles.tokens.get())) {
      await vscode.commands.executeCommand('prolific.clearApiToken');
      await until('the token to be cleared', async () => !handles.account.get() && !(await handles.tokens.get()));
    }
    await fake('POST', 'reset');
  });

  after(async () => {
    await vscode.commands.executeCommand('prolific.clearApiToken');
    await fake('POST', 'reset');
  });

  it('has no session while no token is set, and answers without a request', async () => {
    assert.deepEqual(await sessions(), []);
    assert.deepEqual(await requests(), []);
  });

  it('gets a session named after the researcher when the token is set, and VS Code is told', async () => {
    const told = nextSessionChange();
    // A new token also refreshes the inbox (its own requests): wait for that to be done.
    const inboxLoaded = new Promise<void>((resolve) => {
      const subscription = handles.inbox.onDidChange((state) => !state.signedOut && (subscription.dispose(), resolve()));
    });
    assert.equal(await handles.tokenController.setToken(fakeToken()), true);
    await told;
    const [session, ...more] = await sessions();
    assert.deepEqual(more, []);
    assert.deepEqual(session.account, RESEARCHER);
    assert.deepEqual(session.scopes, ['api']);
    assert.equal(session.accessToken, '', 'the token is not handed out through the authentication API');
    assert.equal(
      (await requests()).map((r) => `${r.method} ${r.path}`)[0],
      'GET /api/v1/users/me/',
      'the token was checked before it was kept',
    );
    await inboxLoaded;
    const before = (await requests()).length;
    await sessions();
    await sessions();
    assert.equal((await requests()).length, before, 'asking for the session again makes no request');
    assert.deepEqual(handles.globalState.get('prolific.account'), RESEARCHER);
  });

  it('loses the session when "Clear API Token" runs, and VS Code is told', async () => {
    await handles.tokenController.setToken(fakeToken());
    assert.equal((await sessions()).length, 1);
    const told = nextSessionChange();
    await vscode.commands.executeCommand('prolific.clearApiToken');
    await told;
    assert.deepEqual(await sessions(), []);
    assert.equal(await handles.tokens.get(), undefined);
    assert.equal(handles.globalState.get('prolific.account'), undefined);
  });

  it('clears the stored token when VS Code removes the session (Sign Out)', async () => {
    await handles.tokenController.setToken(fakeToken());
    const [session] = await sessions();
    const told = nextSessionChange();
    await handles.authProvider.removeSession(session.id);
    await told;
    assert.equal(await handles.tokens.get(), undefined);
    assert.deepEqual(await sessions(), []);
  });

  it('follows a token set and cleared in another window (a change of the shared secret)', async () => {
    // Another window writes the account record to the shared globalState, then the secret.
    await handles.globalState.update('prolific.account', RESEARCHER);
    let told = nextSessionChange();
    await handles.tokens.set(fakeToken());
    await told;
    assert.deepEqual((await sessions())[0]?.account, RESEARCHER);
    told = nextSessionChange();
    await handles.tokens.clear();
    await told;
    assert.deepEqual(await sessions(), []);
    assert.equal(handles.globalState.get('prolific.account'), undefined);
  });

  it('keeps no session and reports no change when Prolific refuses the token', async () => {
    let changes = 0;
    const subscription = handles.authProvider.onDidChangeSessions(() => changes++);
    assert.equal(await handles.tokenController.setToken('a-token-prolific-refuses'), false);
    subscription.dispose();
    assert.deepEqual(await sessions(), []);
    assert.equal(await handles.tokens.get(), undefined);
    assert.equal(changes, 0);
  });

  it('signs in through the "Set API Token" prompt, and rejects as cancelled when it is dismissed', async () => {
    const attempt = handles.authProvider.createSession(['api']).then(
      () => assert.fail('a dismissed prompt creates no session'),
      (error: unknown) => error,
    );
    let settled = false;
    const done = () => void (settled = true);
    attempt.then(done, done);
    // The prompt is VS Code's input box: close it as the user would with Escape, once it shows.
    await until('the prompt to close', async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      return settled;
    });
    const error = await attempt;
    assert.ok(error instanceof vscode.CancellationError, `rejected with ${String(error)}`);
    assert.deepEqual(await sessions(), []);
    assert.deepEqual(await requests(), []);
  });

  it('keeps the token out of globalState and the log', async () => {
    await handles.tokenController.setToken(fakeToken());
    await vscode.commands.executeCommand('prolific.clearApiToken');
    for (const key of handles.globalState.keys()) {
      assert.ok(!JSON.stringify(handles.globalState.get(key) ?? null).includes(fakeToken()), `globalState "${key}" holds the token`);
    }
    const log = vscode.Uri.joinPath(handles.logUri, 'Prolific.log').fsPath;
    await until('the log to name the token change', () => existsSync(log) && readFileSync(log, 'utf8').includes('API token cleared'));
    assert.ok(!readFileSync(log, 'utf8').includes(fakeToken()));
  });
});
