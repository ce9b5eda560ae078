// The extension in a real extension host: activation, contributions and settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activate } from './support';

describe('extension', () => {
  it('activates and registers its commands', async () => {
    await activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['prolific.sendMessage', 'prolific.sendMessageToParticipant', 'prolific.setApiToken', 'prolific.clearApiToken']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('declares the base URL as an application setting with the documented default', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const setting = pkg.contributes.configuration.properties['prolific.apiBaseUrl'];
    assert.equal(setting.scope, 'application');
    assert.equal(setting.default, 'https://api.prolific.com');
    assert.deepEqual(pkg.activationEvents, []);
  });

  it('refuses to write the base URL into workspace settings', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.getConfiguration('prolific').update('apiBaseUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Workspace)),
    );
  });

  it('declares how it behaves in untrusted workspaces', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(typeof pkg.capabilities.untrustedWorkspaces.description, 'string');
  });

  it('contributes the Prolific container with the Compose view', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].title, 'Prolific');
    assert.equal(pkg.contributes.views.prolific[0].name, 'Compose');
  });
});
