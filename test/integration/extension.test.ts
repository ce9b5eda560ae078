// The extension in a real extension host: activation, contributions and settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/host/commands';
import { EXTENSION_ID, activate } from '../support/extensionHost';

describe('extension', () => {
  // First in the suite, so that (in a whole run) the features are not loaded yet: the command
  // below goes through its stand-in, which loads them, and they register the real commands.
  it('registers every contributed command, and a stand-in runs the real command once the features load', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const contributed: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const missing = async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      return contributed.filter((id) => !registered.has(id));
    };
    await extension.activate();
    assert.deepEqual(await missing(), [], 'registered once activated');
    // Open Conversation ignores anything but a participant ID and answers false: the stand-in returns the real command's answer.
    assert.equal(await vscode.commands.executeCommand('prolific.inbox.open', 42), false);
    assert.deepEqual(await missing(), [], 'registered by the features, none left without its command');
  });

  it('names every command in one module, the contributed ones exactly, and registers them all', async () => {
    await activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const named: string[] = Object.values(COMMANDS);
    const contributed: string[] = vscode.extensions
      .getExtension(EXTENSION_ID)
      ?.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...named].sort(), [...contributed].sort(), 'host/commands.ts names what package.json contributes');
    assert.deepEqual(
      named.filter((id) => !registered.has(id)),
      [],
      'every named command is registered',
    );
  });

  it('declares the base URL as an application setting with the documented default', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const setting = pkg.contributes.configuration.properties['prolific.apiBaseUrl'];
    assert.equal(setting.scope, 'application');
    assert.equal(setting.default, 'https://api.prolific.com');
    // After startup (never during it): to tell of sends a window did not live to finish, and to
    // give audience files their CodeLens. Besides: the JSON support asks for the audience schema,
    // which the extension serves.
    assert.deepEqual(pkg.activationEvents, ['onStartupFinished', 'onFileSystem:prolific-schema']);
  });

  it('refuses to write the base URL into workspace settings', async () => {
    await assert.rejects(
      Promise.resolve(
        vscode.workspace.getConfiguration('prolific').update('apiBaseUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Workspace),
      ),
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
