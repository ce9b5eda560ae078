// Sample data for the fake Prolific API. IDs are derived from labels by hashing, so they look like
// real 24-hex IDs yet stay identical across runs: tests and screenshots can rely on them.
import { createHash } from 'node:crypto';

export type StudyStatus = 'UNPUBLISHED' | 'SCHEDULED' | 'PUBLISHING' | 'ACTIVE' | 'AWAITING REVIEW' | 'PAUSED' | 'COMPLETED';

export type SubmissionStatus =
  'RESERVED' | 'ACTIVE' | 'TIMED-OUT' | 'AWAITING REVIEW' | 'APPROVED' | 'PARTIALLY APPROVED' | 'RETURNED' | 'REJECTED' | 'SCREENED OUT';

export type MessageCategory = 'payment-timing' | 'payment-issues' | 'technical-issues' | 'feedback' | 'rejections' | 'other';

export interface Researcher {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  name: string;
  username: string;
  user_type: 'researcher';
  currency_code: string;
  /** Minor units (pence), as the CLI decodes them. */
  balance: number;
  available_balance: number;
}

export interface WorkspaceUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

export interface Workspace {
  id: string;
  title: string;
  description: string;
  owner: string;
  users: WorkspaceUser[];
  naivety_distribution_rate: number;
}

export interface Study {
  id: string;
  name: string;
  internal_name: string | null;
  status: StudyStatus;
  total_available_places: number;
  places_taken: number;
  number_of_submissions: number;
  /** Cents, in the account currency. */
  reward: number;
  date_created: string;
  /** Null until published. */
  published_at: string | null;
  /** The SPEC's nullable credential pool; no seed study uses one. */
  credential_pool_id: string | null;
}

/** The SPEC requires participant_id, started_at and has_siblings; everything else may be null. */
export interface Submission {
  id: string | null;
  participant_id: string;
  status: SubmissionStatus | null;
  started_at: string;
  completed_at: string | null;
  has_siblings: boolean;
  study_code: string | null;
  return_requested: string | null;
}

export interface GroupMember {
  participant_id: string;
  datetime_created: string;
}

export interface ParticipantGroup {
  id: string;
  name: string;
  workspace_id: string | null;
  project_id: string | null;
  organisation_id: string | null;
  description: string | null;
  is_deleted: boolean | null;
  members: GroupMember[];
}

/** One message in the researcher's inbox or outbox; rendered differently per endpoint (see routes.ts). */
export interface StoredMessage {
  id: string;
  senderId: string;
  recipientId: string;
  body: string;
  createdAt: string;
  studyId: string | null;
  category: MessageCategory | null;
  unread: boolean;
  /**
   * Render the timestamp as the documented `sent_at` rather than the observed `datetime_created` in
   * GET /messages/, so clients are forced to accept both names.
   */
  documentedFieldNames?: boolean;
  /** The conversation it was sent into (conversations.ts); absent: the pair's own thread. */
  conversationId?: string;
}

export interface SeedData {
  researcher: Researcher;
  workspaces: Workspace[];
  studies: Study[];
  /** Keyed by study ID; studies without submissions map to an empty list. */
  submissions: Record<string, Submission[]>;
  groups: ParticipantGroup[];
  messages: StoredMessage[];
}

/** A stable, realistic-looking 24-hex ID for a label. */
export function hexId(label: string): string {
  return createHash('sha256').update(label).digest('hex').slice(0, 24);
}

export function participantId(n: number): string {
  return hexId(`participant:${n}`);
}

export const SEED_IDS = {
  researcher: hexId('researcher:ada'),
  collaborator: hexId('researcher:grace'),
  workspace: hexId('workspace:cognition-lab'),
  project: hexId('project:reading'),
  studies: {
    /** ACTIVE, 50 submissions: enough for three pages at the default limit of 20. */
    reading: hexId('study:reading'),
    /** AWAITING REVIEW, 12 submissions. */
    decisions: hexId('study:decisions'),
    /** COMPLETED, 8 submissions; one of them (participant 106) has no ID, status, completion time or code. */
    memory: hexId('study:memory'),
    /** UNPUBLISHED, no submissions; its name contains quotes, markup and an emoji. */
    draft: hexId('study:draft'),
    /**
     * A two-wave study (follow-up audiences): wave 1 AWAITING REVIEW, 48 submissions (three pages)
     * of participants 400-447 in six statuses; wave 2 ACTIVE, 24 submissions (two pages): 18 of
     * wave 1's approved participants, its 4 awaiting review and 2 newcomers (448, 449), in seven
     * statuses. Between them every submission status occurs.
     */
    sleepWave1: hexId('study:sleep-wave-1'),
    sleepWave2: hexId('study:sleep-wave-2'),
  },
  groups: {
    pilot: hexId('group:pilot'),
    /** Its description and is_deleted are null. */
    followUp: hexId('group:follow-up'),
    /** Deleted (is_deleted: true); the API still answers for it. */
    retired: hexId('group:retired'),
  },
} as const;

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function makeSubmissions(studyLabel: string, participants: number[], statuses: SubmissionStatus[], startedFrom: number): Submission[] {
  return participants.map((p, i) => {
    const status = statuses[i % statuses.length];
    const started = startedFrom + i * 17 * MINUTE;
    const finished = status === 'APPROVED' || status === 'AWAITING REVIEW' || status === 'REJECTED';
    return {
      id: hexId(`submission:${studyLabel}:${p}`),
      participant_id: participantId(p),
      status,
      started_at: iso(started),
      completed_at: finished ? iso(started + (9 + (i % 7)) * MINUTE) : null,
      has_siblings: false,
      study_code: finished ? (status === 'REJECTED' ? 'NOCODE' : 'C1QX7RTA') : null,
      return_requested: null,
    };
  });
}

/** Wave 1's statuses, repeated: 7 of every 12 APPROVED. */
const SLEEP_WAVE_1: SubmissionStatus[] = [
  'APPROVED',
  'APPROVED',
  'AWAITING REVIEW',
  'APPROVED',
  'RETURNED',
  'APPROVED',
  'TIMED-OUT',
  'APPROVED',
  'REJECTED',
  'APPROVED',
  'SCREENED OUT',
  'APPROVED',
];
const SLEEP_WAVE_2: SubmissionStatus[] = [
  'ACTIVE',
  'APPROVED',
  'AWAITING REVIEW',
  'RESERVED',
  'RETURNED',
  'PARTIALLY APPROVED',
  'TIMED-OUT',
  'APPROVED',
];

/** The two waves' submissions (see SEED_IDS.studies.sleepWave1). */
function sleepWaves(): { wave1: Submission[]; wave2: Submission[] } {
  const wave1 = makeSubmissions('sleep-wave-1', range(400, 48), SLEEP_WAVE_1, Date.parse('2026-10-05T07:30:00Z'));
  const numbers = (status: SubmissionStatus) => wave1.filter((s) => s.status === status).map((s) => 400 + wave1.indexOf(s));
  const approved = numbers('APPROVED');
  const invited = [...approved.slice(0, 18), ...numbers('AWAITING REVIEW'), 448, 449];
  const wave2 = makeSubmissions('sleep-wave-2', invited, SLEEP_WAVE_2, Date.parse('2026-11-16T07:30:00Z'));
  return { wave1, wave2 };
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

function makeStudy(
  id: string,
  name: string,
  internalName: string | null,
  status: StudyStatus,
  places: number,
  reward: number,
  created: string,
  submissions: Submission[],
): Study {
  // Prolific frees the place of a returned, timed-out or rejected submission.
  const freed = new Set<SubmissionStatus | null>(['RETURNED', 'TIMED-OUT', 'REJECTED', 'SCREENED OUT']);
  return {
    id,
    name,
    internal_name: internalName,
    status,
    total_available_places: places,
    places_taken: submissions.filter((s) => !freed.has(s.status)).length,
    number_of_submissions: submissions.length,
    reward,
    date_created: created,
    published_at: status === 'UNPUBLISHED' ? null : created,
    credential_pool_id: null,
  };
}

/**
 * Builds a fresh copy of the sample data. Message times are relative to `now` so they stay inside
 * the 30-day window that `created_after` allows; everything else uses fixed dates.
 */
export function createSeed(now: number = Date.now()): SeedData {
  const ids = SEED_IDS;
  const researcher: Researcher = {
    id: ids.researcher,
    email: 'ada.byron@example.org',
    first_name: 'Ada',
    last_name: 'Byron',
    name: 'Ada Byron',
    username: 'ada.byron',
    user_type: 'researcher',
    currency_code: 'GBP',
    balance: 125000,
    available_balance: 98050,
  };

  const workspaces: Workspace[] = [
    {
      id: ids.workspace,
      title: 'Cognition Lab',
      description: 'Shared workspace for the reading and memory studies.',
      owner: ids.researcher,
      users: [
        { id: ids.researcher, name: 'Ada Byron', email: 'ada.byron@example.org', roles: ['WORKSPACE_ADMIN'] },
        { id: ids.collaborator, name: 'Grace Hopper', email: 'grace.hopper@example.org', roles: ['WORKSPACE_COLLABORATOR'] },
      ],
      naivety_distribution_rate: 0.5,
    },
  ];

  const reading = makeSubmissions(
    'reading',
    range(0, 50),
    ['APPROVED', 'AWAITING REVIEW', 'APPROVED', 'ACTIVE', 'RETURNED', 'APPROVED', 'TIMED-OUT', 'REJECTED', 'APPROVED'],
    Date.parse('2026-10-20T09:00:00Z'),
  );
  // Participants 45-49 also took the decisions study, as real panels overlap.
  const decisions = makeSubmissions(
    'decisions',
    range(45, 12),
    ['AWAITING REVIEW', 'AWAITING REVIEW', 'APPROVED', 'RETURNED'],
    Date.parse('2026-11-02T14:30:00Z'),
  );
  const memory = makeSubmissions(
    'memory',
    range(100, 8),
    ['APPROVED', 'APPROVED', 'REJECTED', 'TIMED-OUT', 'APPROVED', 'RETURNED', 'APPROVED', 'APPROVED'],
    Date.parse('2026-09-05T08:15:00Z'),
  );
  // One record as sparse as the SPEC allows (only its required fields set), so every client list
  // meets nulls where a field is optional.
  memory[6] = { ...memory[6], id: null, status: null, completed_at: null, study_code: null };
  const sleep = sleepWaves();

  const studies: Study[] = [
    makeStudy(
      ids.studies.reading,
      'Reading Comprehension & Attention (Wave 2)',
      'rc-attention-w2',
      'ACTIVE',
      60,
      450,
      '2026-10-18T10:12:00Z',
      reading,
    ),
    makeStudy(
      ids.studies.decisions,
      'Everyday Decision-Making Survey',
      'decisions-2026',
      'AWAITING REVIEW',
      12,
      300,
      '2026-11-01T16:40:00Z',
      decisions,
    ),
    makeStudy(ids.studies.memory, 'Memory Recall Pilot', 'memory-pilot', 'COMPLETED', 8, 900, '2026-09-01T09:00:00Z', memory),
    makeStudy(ids.studies.draft, 'Attitudes to "Smart" Homes <Privacy> 🏠', null, 'UNPUBLISHED', 100, 150, '2026-11-20T11:05:00Z', []),
    makeStudy(
      ids.studies.sleepWave1,
      'Sleep & Mood Diary (Wave 1)',
      'sleep-w1',
      'AWAITING REVIEW',
      48,
      250,
      '2026-10-01T09:00:00Z',
      sleep.wave1,
    ),
    makeStudy(ids.studies.sleepWave2, 'Sleep & Mood Diary (Wave 2)', 'sleep-w2', 'ACTIVE', 40, 350, '2026-11-14T09:00:00Z', sleep.wave2),
  ];

  const memberSince = '2026-10-25T12:00:00Z';
  const groups: ParticipantGroup[] = [
    {
      id: ids.groups.pilot,
      name: 'Pilot volunteers',
      workspace_id: ids.workspace,
      project_id: null,
      organisation_id: null,
      description: 'Participants who agreed to pilot new tasks.',
      is_deleted: false,
      members: [0, 2, 5, 8, 11, 45].map((p) => ({ participant_id: participantId(p), datetime_created: memberSince })),
    },
    {
      id: ids.groups.followUp,
      name: 'Follow-up panel',
      workspace_id: ids.workspace,
      project_id: null,
      organisation_id: null,
      // The SPEC makes every group field nullable; this group has no description and no deletion flag.
      description: null,
      is_deleted: null,
      members: [46, 47, 100].map((p) => ({ participant_id: participantId(p), datetime_created: memberSince })),
    },
    {
      id: ids.groups.retired,
      name: 'Retired panel',
      workspace_id: ids.workspace,
      project_id: null,
      organisation_id: null,
      description: 'No longer used.',
      is_deleted: true,
      members: [20, 21].map((p) => ({ participant_id: participantId(p), datetime_created: memberSince })),
    },
  ];

  const fromParticipant = (
    n: number,
    label: string,
    ago: number,
    body: string,
    studyId: string,
    category: MessageCategory,
    extra: Partial<StoredMessage> = {},
  ): StoredMessage => ({
    id: hexId(`message:${label}`),
    senderId: participantId(n),
    recipientId: ids.researcher,
    body,
    createdAt: iso(now - ago),
    studyId,
    category,
    unread: false,
    ...extra,
  });

  const messages: StoredMessage[] = [
    fromParticipant(
      3,
      'p3-question',
      3 * DAY,
      'Hi, the timer on page 4 froze. Should I restart the study?',
      ids.studies.reading,
      'technical-issues',
    ),
    {
      id: hexId('message:reply-p3'),
      senderId: ids.researcher,
      recipientId: participantId(3),
      body: 'Thanks for letting us know. Please carry on; the timer is only a guide.',
      createdAt: iso(now - 3 * DAY + HOUR),
      studyId: ids.studies.reading,
      category: null,
      unread: false,
    },
    fromParticipant(1, 'p1-payment', 2 * DAY, 'When will I be paid for the reading study?', ids.studies.reading, 'payment-timing', {
      documentedFieldNames: true,
    }),
    fromParticipant(
      7,
      'p7-unread-script',
      5 * HOUR,
      "<script>alert('xss')</script>Is the bonus coming? 🙏",
      ids.studies.reading,
      'payment-issues',
      { unread: true },
    ),
    fromParticipant(
      46,
      'p46-unread-html',
      2 * HOUR,
      '<b>Bold</b> question: the video didn\'t load 😕 <img src=x onerror="alert(1)">\nSecond line & more.',
      ids.studies.decisions,
      'technical-issues',
      { unread: true },
    ),
    // A very long message, as participants sometimes paste logs or essays.
    fromParticipant(
      12,
      'p12-long',
      4 * DAY,
      `Here is what happened, step by step.\n${'The page reloaded and my answers vanished. '.repeat(150)}\nThank you for reading.`,
      ids.studies.reading,
      'other',
    ),
    fromParticipant(101, 'p101-unread-thanks', 30 * MINUTE, 'Merci beaucoup — loved it! 👍🏽🧠', ids.studies.memory, 'feedback', {
      unread: true,
    }),
  ];

  return {
    researcher,
    workspaces,
    studies,
    submissions: {
      [ids.studies.reading]: reading,
      [ids.studies.decisions]: decisions,
      [ids.studies.memory]: memory,
      [ids.studies.draft]: [],
      [ids.studies.sleepWave1]: sleep.wave1,
      [ids.studies.sleepWave2]: sleep.wave2,
    },
    groups,
    messages,
  };
}
