// The editor tab's "Message Participants in This File" shows for the same table languages the
// code reads as tables: package.json's when-clause names them again, so it is checked here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TABLE_LANGUAGES } from '../../src/shared/recipients/tableLanguages';

const ROOT = resolve(__dirname, '..', '..', '..');

describe('table languages', () => {
  it("the editor tab's menu item shows for exactly the table languages", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const item = manifest.contributes.menus['editor/title/context'].find(
      (m: { command: string }) => m.command === 'prolific.messageParticipantsInFile',
    );
    const pattern = /resourceLangId =~ \/(.+)\/$/.exec(item.when)?.[1];
    assert.ok(pattern, item.when);
    const languages = new RegExp(pattern);
    for (const id of Object.keys(TABLE_LANGUAGES)) assert.ok(languages.test(id), id);
    for (const id of ['plaintext', 'csv (whitespace)', 'csv (double quote)', 'csvx', 'python']) assert.ok(!languages.test(id), id);
  });
});
