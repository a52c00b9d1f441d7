import { readFileSync } from 'node:fs';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import {
  finishingMove,
  JOB_MOVES,
  JOB_STATES,
  STATE_DIAGRAM_END,
  STATE_DIAGRAM_START,
  stateDiagram,
  type JobMoveSpec,
  type JobState,
} from '../../src/jobs/job-moves.js';

/** Issue #12: the state table, checked without Redis. */
describe('job state table', () => {
  const moves: [string, JobMoveSpec][] = Object.entries(JOB_MOVES);

  it('reaches every state from `queued`, and ends only in done and failed', () => {
    const reached = new Set<string>(['queued']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [, m] of moves) {
        if (m.from.some((f) => reached.has(f)) && !reached.has(m.to)) {
          reached.add(m.to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...JOB_STATES].sort());
    const leaving = new Set<JobState>(moves.flatMap(([, m]) => m.from));
    expect(JOB_STATES.filter((s) => !leaving.has(s))).toEqual(['done', 'failed']);
  });

  it('never leaves an end state and never goes back to review or analysing from delivery', () => {
    for (const [, m] of moves) {
      expect(m.from).not.toContain('done');
      expect(m.from).not.toContain('failed');
      if (m.from.includes('delivering')) expect(m.to).toBe('done');
    }
  });

  it('lets a reviewer move only jobs in review, and the deliver worker only delivering ones', () => {
    for (const [, m] of moves) {
      if (m.by === 'reviewer') expect(m.from).toEqual(['review']);
      if (m.by === 'deliver worker') expect(m.from).toEqual(['delivering']);
    }
  });

  it('finishes an analysis or a decision with delivering when there is something to deliver', () => {
    expect(finishingMove('analysis', 0)).toBe('finish');
    expect(finishingMove('analysis', 2)).toBe('deliver');
    expect(finishingMove('review', 0)).toBe('accept');
    expect(finishingMove('review', 1)).toBe('acceptAndDeliver');
    for (const name of ['finish', 'deliver'] as const) expect(JOB_MOVES[name].from).toEqual(['analysing']);
    for (const name of ['accept', 'acceptAndDeliver'] as const) expect(JOB_MOVES[name].from).toEqual(['review']);
  });

  it('is the diagram docs/architecture.md shows (run `npm run docs:config`)', () => {
    const doc = readFileSync(fromRoot('docs/architecture.md'), 'utf8');
    expect(textBetween(doc, STATE_DIAGRAM_START, STATE_DIAGRAM_END)).toBe(`\`\`\`mermaid\n${stateDiagram()}\n\`\`\``);
  });
});
