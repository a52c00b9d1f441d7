/**
 * The job's states and every move between them, in one table. Every write of a job's state goes
 * through a named move of this table (JobStore.move), so what may happen to a job is read here,
 * not gathered from the places that write: the state diagram in docs/architecture.md is generated
 * from it (`npm run docs:config`), and a test keeps the two equal.
 */
export const JOB_STATES = ['queued', 'analysing', 'review', 'delivering', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export function isJobState(value: string): value is JobState {
  return (JOB_STATES as readonly string[]).includes(value);
}

/** Who makes a move: the analyse worker, a person deciding a review, the deliver worker. */
export type Mover = 'analyse worker' | 'reviewer' | 'deliver worker';

export interface JobMoveSpec {
  readonly from: readonly JobState[];
  readonly to: JobState;
  readonly by: Mover;
  /** When the move happens, for the diagram and the reader. */
  readonly when: string;
}

export const JOB_MOVES = {
  start: {
    from: ['queued', 'analysing'],
    to: 'analysing',
    by: 'analyse worker',
    when: "an analysis attempt takes the job (from `analysing`: a retry, or a takeover of a dead worker's job)",
  },
  park: {
    from: ['analysing'],
    to: 'queued',
    by: 'analyse worker',
    when: 'no provider can be tried now (rate limits, open circuits); no attempt is used',
  },
  doubt: {
    from: ['analysing'],
    to: 'review',
    by: 'analyse worker',
    when: 'a finding is uncertain: a person must decide',
  },
  finish: { from: ['analysing'], to: 'done', by: 'analyse worker', when: 'analysed without doubt, nothing to deliver' },
  deliver: {
    from: ['analysing'],
    to: 'delivering',
    by: 'analyse worker',
    when: 'analysed without doubt, deliveries planned',
  },
  fail: {
    from: ['analysing'],
    to: 'failed',
    by: 'analyse worker',
    when: 'the last attempt failed, or the input cannot be analysed (a coded reason)',
  },
  accept: { from: ['review'], to: 'done', by: 'reviewer', when: 'accepted or corrected, nothing to deliver' },
  acceptAndDeliver: {
    from: ['review'],
    to: 'delivering',
    by: 'reviewer',
    when: 'accepted or corrected, deliveries planned',
  },
  reject: { from: ['review'], to: 'failed', by: 'reviewer', when: "rejected, with the reviewer's reason" },
  delivered: {
    from: ['delivering'],
    to: 'done',
    by: 'deliver worker',
    when: 'every delivery delivered, skipped or dead-lettered',
  },
} as const satisfies Record<string, JobMoveSpec>;

export type JobMoveName = keyof typeof JOB_MOVES;

/** The move a finished analysis or decision makes: delivering when there is something to deliver. */
export function finishingMove(origin: 'analysis' | 'review', deliveries: number): JobMoveName {
  if (origin === 'analysis') return deliveries > 0 ? 'deliver' : 'finish';
  return deliveries > 0 ? 'acceptAndDeliver' : 'accept';
}

export const STATE_DIAGRAM_START = '<!-- state-diagram:start -->';
export const STATE_DIAGRAM_END = '<!-- state-diagram:end -->';

/** The state diagram of the table, as Mermaid (docs/architecture.md). */
export function stateDiagram(): string {
  const lines = ['stateDiagram-v2', '  [*] --> queued: received'];
  for (const [name, move] of Object.entries(JOB_MOVES)) {
    for (const from of move.from) lines.push(`  ${from} --> ${move.to}: ${name} (${move.by})`);
  }
  lines.push('  done --> [*]', '  failed --> [*]');
  return lines.join('\n');
}
