// CHANGELOG.md keeps the form of Keep a Changelog 1.1.0 (https://keepachangelog.com/en/1.1.0/):
// one title, "## [Unreleased]" first, then released versions newest first with their dates, and
// under each only the six kinds of change, each listing at least one change.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../docs/projectFiles';

const KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];
const VERSION = /^## \[(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?\] - (\d{4}-\d{2}-\d{2})( \[YANKED\])?$/;

interface Section {
  heading: string;
  line: number;
  kinds: { name: string; line: number; entries: number }[];
  /** Lines of text between the version heading and its first "###". */
  loose: number[];
}

/** The "## " sections and their "### " subsections, or an assertion failure naming the line. */
function parse(text: string): { title: string; sections: Section[] } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let title = '';
  const sections: Section[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    const at = `CHANGELOG.md line ${index + 1}: "${line}"`;
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    const section = sections.at(-1);
    if (line.startsWith('# ')) {
      assert.equal(title, '', `${at}: a second title`);
      title = line;
    } else if (line.startsWith('## ')) {
      sections.push({ heading: line, line: index + 1, kinds: [], loose: [] });
    } else if (line.startsWith('### ')) {
      assert.ok(section, `${at}: a kind of change outside any version`);
      section.kinds.push({ name: line.slice(4).trim(), line: index + 1, entries: 0 });
    } else if (/^\s*[-*] /.test(line) && section) {
      const kind = section.kinds.at(-1);
      if (kind) kind.entries += /^[-*] /.test(line) ? 1 : 0;
      else section.loose.push(index + 1);
    } else if (line.trim() && section && section.kinds.length === 0) {
      section.loose.push(index + 1);
    }
  });
  return { title, sections };
}

describe('CHANGELOG.md', () => {
  const { title, sections } = parse(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'));

  it('has the title "Changelog" and an Unreleased section before every version', () => {
    assert.equal(title, '# Changelog');
    assert.ok(sections.length > 0, 'no "## " sections');
    assert.equal(sections[0].heading, '## [Unreleased]', 'the first section is "## [Unreleased]"');
    assert.equal(sections.filter((s) => s.heading === '## [Unreleased]').length, 1, 'one Unreleased section');
  });

  it('heads each released version "## [x.y.z] - YYYY-MM-DD", newest first, with a real date', () => {
    const released = sections.slice(1).map((s) => {
      const match = VERSION.exec(s.heading);
      assert.ok(match, `line ${s.line}: "${s.heading}" is not "## [x.y.z] - YYYY-MM-DD"`);
      const date = match[4];
      assert.equal(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10), date, `line ${s.line}: ${date} is not a date`);
      return { line: s.line, version: [Number(match[1]), Number(match[2]), Number(match[3])], date };
    });
    for (let i = 1; i < released.length; i++) {
      const [newer, older] = [released[i - 1], released[i]];
      const order = newer.version.map((n, k) => n - older.version[k]).find((d) => d !== 0) ?? 0;
      assert.ok(order > 0, `line ${older.line}: versions go newest first`);
      assert.ok(newer.date >= older.date, `line ${older.line}: dates go newest first`);
    }
  });

  it('groups changes only under Added, Changed, Deprecated, Removed, Fixed and Security, each once per version and not empty', () => {
    for (const section of sections) {
      assert.deepEqual(section.loose, [], `${section.heading}: text outside a "### <kind>" subsection (lines ${section.loose.join(', ')})`);
      const names = section.kinds.map((k) => k.name);
      for (const kind of section.kinds) {
        assert.ok(KINDS.includes(kind.name), `line ${kind.line}: "### ${kind.name}" is not one of ${KINDS.join(', ')}`);
        assert.ok(kind.entries > 0, `line ${kind.line}: "### ${kind.name}" lists no change`);
      }
      assert.equal(new Set(names).size, names.length, `${section.heading}: a kind of change appears twice`);
      if (section.heading !== '## [Unreleased]') assert.ok(names.length > 0, `${section.heading}: a release lists no change`);
    }
  });
});
