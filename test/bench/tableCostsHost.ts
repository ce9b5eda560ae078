// Runs in the extension host (the activation bench's last round, see activationHost.ts): what the
// hover over a participant ID and the tables' CodeLens cost on a CSV export of about 49 MB (VS Code
// gives extensions no document over 50 MB). The hover is asked for through VS Code's own command, as
// the editor asks; its CPU time is this process's (user + system) around the request, so VS Code's
// handling of the request is counted too, an upper bound of the extension's share. The same request
// with the hover turned off (the provider returns at its first checks) is the yardstick. The lens is
// made and resolved once per version of the document: each sample edits one status first.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

export interface TableCosts {
  fileBytes: number;
  rows: number;
  /** The first hover of the window: the features load, the history is read. */
  hoverFirstCpuMs: number;
  hoverCpuMs: number[];
  hoverOffCpuMs: number[];
  /** What the hover said, to check it is the participant's card. */
  hoverText: string;
  lensMs: number[];
  /** The longest the extension host's event loop was held while the lens was made. */
  lensBlockMs: number[];
  /** The same after the same edit, with no lens asked for (the yardstick). */
  editBlockMs: number[];
  lensTitle: string;
}

const ROW_PATTERN = (i: number) =>
  `${i.toString(16).padStart(24, '0')},APPROVED,2026-11-${String((i % 28) + 1).padStart(2, '0')},wave 1 completed\n`;

export async function tableCosts(samples: number, signIn: () => Promise<void>): Promise<TableCosts> {
  const header = 'participant_id,status,completed_at,note\n';
  const rows = Math.floor((49 * 1024 * 1024 - header.length) / ROW_PATTERN(0).length);
  const text = header + Array.from({ length: rows }, (_, i) => ROW_PATTERN(i + 1)).join('');
  const path = join(tmpdir(), `bench-table-${process.pid}.csv`);
  writeFileSync(path, text);
  try {
    await signIn(); // the hover shows only once a token is set
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path));
    const line = Math.floor(rows / 2);
    const at = new vscode.Position(line, 5);
    const hover = async () => {
      const before = process.cpuUsage();
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
      const used = process.cpuUsage(before);
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return { cpuMs: (used.user + used.system) / 1000, text };
    };
    const first = await hover();
    const config = vscode.workspace.getConfiguration('prolific.participantHover');
    /** After a change of the setting the host has its own work to do (listeners, the settings file): let it pass. */
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (let i = 0; i < 3; i++) await hover();
    };
    const hoverCpuMs: number[] = [];
    const hoverOffCpuMs: number[] = [];
    // In alternating blocks, so that a busy spell of the machine weighs on both alike.
    for (let block = 0; block < 2; block++) {
      await settle();
      for (let i = 0; i < samples / 2; i++) hoverCpuMs.push((await hover()).cpuMs);
      await config.update('enabled', false, vscode.ConfigurationTarget.Global);
      await settle();
      for (let i = 0; i < samples / 2; i++) hoverOffCpuMs.push((await hover()).cpuMs);
      await config.update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }

    const lensMs: number[] = [];
    const lensBlockMs: number[] = [];
    const editBlockMs: number[] = [];
    let lensTitle = '';
    for (let i = 0; i < Math.max(3, Math.ceil(samples / 4)); i++) {
      // A new version: the count is made again, as after the user's edit. The yardstick: the same
      // edit with no lens asked for, watched as long as the lens took (what the edit itself holds).
      for (const withLens of [false, true]) {
        const edit = new vscode.WorkspaceEdit();
        const statusAt = new vscode.Range(line + i, 25, line + i, 33);
        edit.replace(document.uri, statusAt, withLens === (i % 2 === 0) ? 'RETURNED' : 'APPROVED');
        await vscode.workspace.applyEdit(edit);
        const watch = holdMonitor();
        const t0 = performance.now();
        if (withLens) {
          const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
          lensMs.push(performance.now() - t0);
          lensTitle = lenses.find((l) => l.command?.command === 'prolific.messageParticipantsInFile')?.command?.title ?? '';
          lensBlockMs.push(watch());
        } else {
          await new Promise((resolve) => setTimeout(resolve, Math.max(500, ...lensMs)));
          editBlockMs.push(watch());
        }
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    return {
      fileBytes: text.length,
      rows,
      hoverFirstCpuMs: first.cpuMs,
      hoverCpuMs,
      hoverOffCpuMs,
      hoverText: first.text,
      lensMs,
      lensBlockMs,
      editBlockMs,
      lensTitle,
    };
  } finally {
    rmSync(path, { force: true });
  }
}

/** Starts watching the event loop; the function returned stops and says the longest it was held. */
function holdMonitor(): () => number {
  let longest = 0;
  let last = performance.now();
  const monitor = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  return () => {
    clearInterval(monitor);
    return Math.max(longest, performance.now() - last);
  };
}
