// Participant IDs in a Jupyter notebook (.ipynb, opened by VS Code's own notebook support): the
// right-click on an ID in a cell, the cell menu's "Message Participants in This Cell's Output" on a
// printed pandas Series, and the hover over an ID in a cell.
import * as assert from 'node:assert/strict';
import { participantId } from '../fake-prolific/seed';
import { waitFor } from '../harness/processes';
import { t, tPattern } from './locale';
import { useWorkbench, type Workbench } from './workbench';

const P = participantId(90);
const PRINTED = [participantId(91), participantId(92), participantId(93)];

/** One code cell naming P, its output the IDs a pandas Series prints (and P's again, a repeat). */
const NOTEBOOK = {
  cells: [
    {
      cell_type: 'code',
      execution_count: 1,
      metadata: {},
      source: [`reminder_to = "${P}"\n`, "wave1[wave1.status == 'APPROVED'].participant_id"],
      outputs: [
        {
          output_type: 'execute_result',
          execution_count: 1,
          metadata: {},
          data: {
            'text/plain': [...PRINTED.map((id, i) => `${i}    ${id}\n`), 'Name: participant_id, dtype: object'],
          },
        },
      ],
    },
  ],
  metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
  nbformat: 4,
  nbformat_minor: 5,
};

describe('participant IDs in a notebook', function () {
  let wb: Workbench;

  useWorkbench({ 'wave1.ipynb': JSON.stringify(NOTEBOOK, null, 1) }, { signIn: true, userText: [] }, (w) => (wb = w));

  it('composes to the ID under a right-click in a cell', async () => {
    await wb.openFile('wave1.ipynb');
    const id = wb.page.locator('.notebook-editor .cell-editor-container .view-lines span', { hasText: P }).last();
    await id.waitFor();
    await wb.chooseFromContextMenu(() => id.click({ button: 'right' }), t('Message This Participant'));
    const form = await wb.composeForm('panel');
    await waitFor(
      'the recipient from the cell',
      async () => ((await form.locator('#recipient_id').inputValue()) === P ? true : undefined),
      10_000,
    );
  });

  it("sends to the IDs in a cell's output from the cell's menu", async () => {
    await wb.openFile('wave1.ipynb');
    const cell = wb.page.locator('.notebook-editor .cell-list-container .code-cell-row').first();
    await cell.hover();
    await wb.chooseFromContextMenu(
      () =>
        cell
          .locator('.cell-title-toolbar')
          .getByRole('button', { name: /More Actions/ })
          .click(),
      t("Message Participants in This Cell's Output"),
    );
    const form = await wb.composeForm('panel');
    await form.getByText(tPattern('{0} participants', 3)).first().waitFor();
    assert.equal(await form.locator('#recipient-field').isHidden(), true, 'a list, not one participant');
  });

  it('shows the hover over an ID in a cell, and its Message link fills the form', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('wave1.ipynb');
    await wb.page.mouse.move(0, 0);
    const id = wb.page.locator('.notebook-editor .cell-editor-container .view-lines span', { hasText: P }).last();
    await id.hover();
    const hover = wb.page.locator('.monaco-hover:visible', { hasText: t('Prolific participant') });
    await hover.waitFor();
    // The right-click above opened the form for P but sent nothing: nothing is known of P yet.
    await hover.getByText(t('No messages with this participant on this computer yet.')).waitFor();
    await wb.messageFromHover(hover, P);
  });
});
