// `npm run bench` fails on what it must fail on. Exact checks (duplicate sends, work during
// activation, the .vsix size, zod/mini only) and benchmarks that crash fail every run, --quick
// (CI's smoke run) included; a measured ratio over its budget fails the full run only. Proved on
// the decision itself, and through the real entry (out/test/bench/run.js) with a failing check
// injected (--inject-failure) and no benchmark run (--only none), so no VS Code is needed.
// Also the fake API's latency option, which the throughput benchmark uses.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { exitCode, type Check } from '../bench/report';
import { latencyDraw, startFakeProlific } from '../fake-prolific/server';

const RUN = join(__dirname, '..', 'bench', 'run.js');

function bench(...args: string[]): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [RUN, '--only', 'none', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout };
}

const check = (kind: Check['kind'], pass: boolean, error = false): Check => ({ name: `${kind} ${pass}`, kind, pass, error });

describe('npm run bench: exit code', () => {
  it('--quick fails on a failed exact check or an error, not on a measured figure over budget', () => {
    assert.equal(exitCode([check('exact', true), check('measured', true)], true), 0);
    assert.equal(exitCode([check('exact', false)], true), 1);
    assert.equal(exitCode([check('measured', false)], true), 0);
    assert.equal(exitCode([check('measured', false, true)], true), 1);
  });

  it('the full run fails on any failed check', () => {
    assert.equal(exitCode([check('exact', true), check('measured', true)], false), 0);
    assert.equal(exitCode([check('exact', false)], false), 1);
    assert.equal(exitCode([check('measured', false)], false), 1);
  });

  it('the entry exits 0 when no check fails (the control for the cases below)', function () {
    this.timeout(30_000);
    const { status, stdout } = bench('--quick');
    assert.equal(status, 0, stdout);
    assert.match(stdout, /--quick: exits 0/);
  });

  it('`npm run bench -- --quick` exits 1 when an exact check fails', function () {
    this.timeout(30_000);
    const { status, stdout } = bench('--quick', '--inject-failure', 'exact');
    assert.equal(status, 1, stdout);
    assert.match(stdout, /an injected exact check\s+1\s+budget 0 \(exact\)\s+FAIL/);
    assert.match(stdout, /exact checks failed: an injected exact check/);
  });

  it('--quick exits 0 when only a measured figure is over budget; the full run exits 1', function () {
    this.timeout(60_000);
    const quick = bench('--quick', '--inject-failure', 'measured');
    assert.equal(quick.status, 0, quick.stdout);
    assert.match(quick.stdout, /over budget \(advisory in --quick\): an injected measured check/);
    const full = bench('--inject-failure', 'measured');
    assert.equal(full.status, 1, full.stdout);
  });
});

describe('fake API: latency option', () => {
  it('draws each delay within ms ± jitterMs, the same for the same seed', () => {
    const draws = (seed: number) => {
      const draw = latencyDraw({ ms: 100, jitterMs: 20, seed });
      assert.ok(draw);
      return Array.from({ length: 200 }, draw);
    };
    const a = draws(11);
    assert.deepEqual(a, draws(11));
    assert.notDeepEqual(a, draws(12));
    assert.ok(
      a.every((d) => d >= 80 && d <= 120),
      'every delay within 100 ± 20 ms',
    );
    assert.ok(Math.max(...a) - Math.min(...a) > 20, 'the delays vary');
    assert.equal(latencyDraw(undefined), undefined);
    assert.throws(() => latencyDraw({ ms: 10, jitterMs: 20 }), RangeError);
  });

  it('answers an API request no sooner than the latency', async () => {
    const fake = await startFakeProlific({ latency: { ms: 150 } });
    try {
      const t0 = performance.now();
      const response = await fetch(`${fake.url}/api/v1/users/me/`, { headers: { Authorization: `Token ${fake.token}` } });
      assert.equal(response.status, 200);
      assert.ok(performance.now() - t0 >= 149, 'answered after the latency');
      assert.equal(fake.requests.length, 1);
    } finally {
      await fake.close();
    }
  });
});
