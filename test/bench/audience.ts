// What evaluating an audience file costs beyond reading what it names (issue 14: at most 1.3×).
//
// An audience over 4 studies of 5,000 submissions each (the follow-up of a multi-wave study:
// three waves' APPROVED included, the fourth wave's participants excluded) evaluated through the
// real API client against the fake Prolific API on loopback (20 submissions a page, so 250 pages
// a study). Baseline: the same client fetching those same pages, the 4 studies at once as
// evaluation reads them. Each sample of each kind in turns (which goes first alternating), on one warm server; printed as
// min/median/max and as a ratio of medians. No network latency is added: the ratio is then the
// strictest it can be, all of evaluation's own work (status filter, set algebra, reasons) against
// nothing but the fetch and the parse. Exact check: evaluation asks for every page once and no
// page more than fetching does.
import { evaluateAudience } from '../../src/features/audience/audienceEvaluation';
import { parseAudience } from '../../src/features/audience/audienceFormat';
import { parseBaseUrl } from '../../src/prolific/baseUrl';
import { ProlificClient } from '../../src/prolific/client';
import { startFakeProlific, type FakeProlific } from '../fake-prolific/server';
import { createSeed, hexId, type SeedData, type Submission, type SubmissionStatus } from '../fake-prolific/seed';
import { exact, info, measured, median, ms, ratio, spread } from './report';

const STUDIES = 4;
const STATUSES: SubmissionStatus[] = [
  'APPROVED',
  'APPROVED',
  'APPROVED',
  'AWAITING REVIEW',
  'RETURNED',
  'TIMED-OUT',
  'REJECTED',
  'APPROVED',
];
const TOKEN = 'bench-audience-token-0123456789';
const BUDGET = 1.3;

export async function benchAudience(quick: boolean): Promise<void> {
  const perStudy = quick ? 1_000 : 5_000;
  const samples = quick ? 3 : 9;
  const { seed, studyIds } = bigSeed(perStudy);
  const fake = await startFakeProlific({ token: TOKEN, seed });
  try {
    const parsedUrl = parseBaseUrl(fake.url);
    if (!parsedUrl.ok) throw new Error(`bad fake URL ${fake.url}`);
    const client = new ProlificClient({ baseUrl: parsedUrl.url, token: TOKEN, timeoutMs: 30_000, userAgent: 'bench' });
    const parsed = parseAudience(
      JSON.stringify({
        include: studyIds.slice(0, 3).map((study) => ({ study, statuses: ['APPROVED'] })),
        exclude: [{ study: studyIds[3] }],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const spec = parsed.spec;
    info(
      'audience',
      `${STUDIES} studies × ${perStudy.toLocaleString('en-US')} submissions (${Math.ceil(perStudy / 20)} pages each): 3 included (APPROVED), 1 excluded; ${samples} samples of each`,
    );

    const fetchAll = () => Promise.all(studyIds.map((id) => client.listSubmissions(id)));
    const evaluate = async () => {
      const evaluation = await evaluateAudience(spec, {
        api: client,
        readFile: () => Promise.reject(new Error('no files')),
        sentHistory: async () => [],
      });
      if (!evaluation.ok) throw new Error(evaluation.failures.map((f) => f.message).join(' '));
      return evaluation.result;
    };

    // One of each first, unmeasured: the server's and the client's code warm, and the requests counted.
    const pageRequests = (f: FakeProlific) => f.requests.filter((r) => r.path.endsWith('/submissions/')).length;
    fake.reset();
    await fetchAll();
    const fetchedPages = pageRequests(fake);
    fake.reset();
    const result = await evaluate();
    const evaluatedPages = pageRequests(fake);
    info(
      '  in the audience / kept out',
      `${result.members.length.toLocaleString('en-US')} / ${result.keptOut.length.toLocaleString('en-US')}`,
    );
    exact('pages evaluation asks for (every page once)', String(evaluatedPages), `= ${fetchedPages}`, evaluatedPages === fetchedPages);

    const fetching: number[] = [];
    const evaluating: number[] = [];
    const timed = async (run: () => Promise<unknown>, into: number[]) => {
      fake.reset(); // the fake's request log grows with every sample otherwise
      const t0 = performance.now();
      await run();
      into.push(performance.now() - t0);
    };
    // Which goes first alternates, so neither always runs on the other's leftovers (GC, caches).
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        await timed(fetchAll, fetching);
        await timed(evaluate, evaluating);
      } else {
        await timed(evaluate, evaluating);
        await timed(fetchAll, fetching);
      }
    }
    info('fetching the pages (baseline)', spread(fetching, ms));
    info('evaluating the audience', spread(evaluating, ms));
    const r = median(evaluating) / median(fetching);
    measured('audience evaluation vs fetching its pages (medians)', ratio(r), `≤ ${BUDGET.toFixed(2)}×`, r <= BUDGET);
  } finally {
    await fake.close();
  }
}

/** The usual seed plus 4 waves of `perStudy` submissions; consecutive waves share most participants. */
function bigSeed(perStudy: number): { seed: SeedData; studyIds: string[] } {
  const seed = createSeed();
  const template = seed.studies[0];
  const studyIds: string[] = [];
  for (let w = 0; w < STUDIES; w++) {
    const id = hexId(`bench:wave-${w}`);
    studyIds.push(id);
    // Wave w: participants from w × perStudy / 5 on, so each wave shares 80% with the one before.
    const first = Math.floor((w * perStudy) / 5);
    const submissions: Submission[] = Array.from({ length: perStudy }, (_, i) => {
      const status = STATUSES[(i * 7 + w) % STATUSES.length];
      return {
        id: hexId(`bench:submission:${w}:${i}`),
        participant_id: hexId(`bench:participant:${first + i}`),
        status,
        started_at: new Date(Date.UTC(2026, 9, 1 + w, 0, 0, i)).toISOString(),
        completed_at: status === 'APPROVED' ? new Date(Date.UTC(2026, 9, 1 + w, 1, 0, i)).toISOString() : null,
        has_siblings: false,
        study_code: status === 'APPROVED' ? 'C1QX7RTA' : null,
        return_requested: null,
      };
    });
    seed.studies.push({ ...template, id, name: `Bench wave ${w + 1}`, internal_name: null, number_of_submissions: perStudy });
    seed.submissions[id] = submissions;
  }
  return { seed, studyIds };
}
