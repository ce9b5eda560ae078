// When the OS keyring behind SecretStorage fails, the user is told so in a sentence with a way
// out, nothing crashes, and the draft is kept. VS Code's own SecretStorage cannot be made to
// fail on demand, so these tests give the real TokenStore and MessageService a SecretStorage
// that throws, inside the real extension host.
import { MessagingFeaturesProbe } from '../../src/features/account/messagingFeatures';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ClientFactory } from '../../src/host/clientFactory';
import { AudienceStore } from '../../src/features/compose/audienceStore';
import { DraftStore } from '../../src/features/compose/draftStore';
import { KeyringError } from '../../src/host/errors';
import { HistoryStore } from '../../src/features/history/historyStore';
import { ListSender } from '../../src/features/send/listSender';
import { MessageService } from '../../src/features/send/messageService';
import { TokenController } from '../../src/features/account/tokenController';
import { TokenStore } from '../../src/features/account/tokenStore';
import { fake, pointAtFake } from '../support/extensionHost';

const broken: vscode.SecretStorage = {
  get: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
  store: () => Promise.reject(new Error('The name org.freedesktop.secrets was not provided')),
  delete: () => Promise.reject(new Error('keyring locked')),
  onDidChange: new vscode.EventEmitter<vscode.SecretStorageChangeEvent>().event,
};

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: (k: string) => values.get(k),
    update: async (k: string, v: unknown) => void values.set(k, v),
  } as vscode.Memento;
}

describe('a failing keyring', () => {
  const log = vscode.window.createOutputChannel('Prolific keyring test', { log: true });
  after(() => log.dispose());

  it('turns every SecretStorage failure into a sentence that names the keyring', async () => {
    const tokens = new TokenStore(broken);
    for (const attempt of [() => tokens.get(), () => tokens.set('x'), () => tokens.clear()]) {
      const error = await attempt().then(
        () => assert.fail('should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof KeyringError);
      assert.match(error.message, /keyring.*(installed and unlocked)/);
    }
  });

  it('keeps the draft and sends nothing when the token cannot be read', async () => {
    await pointAtFake();
    await fake('POST', 'reset');
    const tokens = new TokenStore(broken);
    const clients = new ClientFactory(log, 'test');
    const drafts = new DraftStore(memento(), () => '');
    const audiences = new AudienceStore();
    const history = new HistoryStore('/tmp/prolific-keyring-test-history', () => 10);
    const service = new MessageService(
      tokens,
      new TokenController(tokens, clients, log),
      clients,
      drafts,
      audiences,
      new ListSender(audiences, history, async () => undefined, log),
      history,
      log,
      new MessagingFeaturesProbe(log),
      () => undefined,
    );
    const draft = { recipient_id: '5f8d0c3e4b2a1c0012345678', study_id: '620ca2735fcbba4fa2b3211a', body: 'Kept' };
    await drafts.update(draft);
    const result = await service.send(draft);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /keyring/);
    assert.deepEqual(drafts.get(), draft);
    assert.equal((await fake<unknown[]>('GET', 'requests')).length, 0);
    for (const d of [drafts, audiences, history]) d.dispose();
  });
});
