import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RulesAnalyser } from '../../../src/analysis/rules/rules.analyser.js';
import type { EntityKind } from '../../../src/jobs/entity-kinds.js';
import { type EntityCounts, scoreEntities } from '../../../src/evaluation/entity-scoring.js';
import { evalReport, regressions, renderMarkdown } from '../../../src/evaluation/eval-report.js';
import { runEval } from '../../../src/evaluation/eval-run.js';
import { readEvalSet } from '../../../src/evaluation/eval-set.js';
import type { ReviewExample } from '../../../src/pipeline/review-queue.js';
import { type LeakCount, scoreLeaks } from '../../../src/evaluation/leak-scoring.js';

const g = (kind: EntityKind, quote: string, start: number) => ({ kind, quote, start, end: start + quote.length });

describe('evaluation scoring (issue #14)', () => {
  it('counts overlap as found and offsets as exact, each gold entity once; a date on a birth date is neither', () => {
    const gold = [g('person-name', 'Dr. Anna Berg', 0), g('birth-date', '01.02.1980', 20)];
    const into = new Map<EntityKind, EntityCounts>();
    scoreEntities(
      gold,
      [
        { kind: 'person-name', start: 4, end: 13 },
        { kind: 'person-name', start: 4, end: 8 },
        { kind: 'date', start: 20, end: 30 },
        { kind: 'phone', start: null, end: null },
      ],
      into,
    );
    expect(into.get('person-name')).toEqual({ gold: 1, predicted: 2, matched: 1, exact: 0 });
    expect(into.get('birth-date')).toEqual({ gold: 1, predicted: 0, matched: 0, exact: 0 });
    expect(into.get('date')).toBeUndefined();
    expect(into.get('phone')).toEqual({ gold: 0, predicted: 1, matched: 0, exact: 0 });
  });

  it('a name leaks when one of its tokens is left in clear text; a title left outside does not leak', () => {
    const into = new Map<EntityKind, LeakCount>();
    const hidden = new Set<EntityKind>(['person-name', 'iban']);
    scoreLeaks([g('person-name', 'Dr. Anna Berg', 0)], [{ start: 4, end: 13 }], hidden, into);
    scoreLeaks([g('person-name', 'Anna Berg', 0)], [{ start: 0, end: 4 }], hidden, into);
    scoreLeaks([g('date', '01.02.1980', 0)], [], hidden, into);
    expect(into.get('person-name')).toEqual({ total: 2, leaked: 1 });
    expect(into.has('date')).toBe(false);
  });

  it('reads a set, runs it through the rules, and the gate names what got worse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xgw-eval-'));
    try {
      const file = join(dir, 'mini.jsonl');
      writeFileSync(
        file,
        [
          JSON.stringify({
            id: 'a',
            text: 'Überweisen Sie an DE89 3704 0044 0532 0130 00, Rückfragen an erika@example.org.',
            entities: [
              { kind: 'iban', quote: 'DE89 3704 0044 0532 0130 00' },
              { kind: 'email', quote: 'erika@example.org' },
            ],
          }),
          JSON.stringify({
            id: 'b',
            text: 'Ich lege Widerspruch gegen den Bescheid ein.',
            labels: [
              { code: 'W', name: 'Widerspruch' },
              { code: 'A', name: 'Antrag' },
            ],
            expected: ['W'],
          }),
        ].join('\n'),
      );
      const report = evalReport(await runEval(await readEvalSet(file), new RulesAnalyser()));
      const mini = report.sets.mini;
      expect(mini?.entities.iban).toMatchObject({ gold: 1, predicted: 1, precision: 1, recall: 1, f1: 1, exact: 1 });
      expect(mini?.leaks.iban).toEqual({ total: 1, leaked: 0, rate: 0 });
      expect(mini?.labels.W).toMatchObject({ precision: 1, recall: 1 });
      expect(mini?.classificationExactMatch).toBe(1);
      expect(renderMarkdown(report)).toContain('| iban | 1 | 1 | 100.0 % |');
      expect(regressions(report, report, 0)).toEqual([]);
      const better = structuredClone(report);
      if (better.sets.mini?.entities.iban !== undefined) better.sets.mini.entities.iban.recall = 1.5;
      if (better.sets.mini?.leaks.email !== undefined) better.sets.mini.leaks.email.rate = -0.5;
      expect(regressions(report, better, 0.01)).toEqual([
        'mini iban recall: 1.5 → 1',
        'mini email leak rate: -0.5 → 0',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scores extraction per field, from a review correction as the export writes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xgw-eval-'));
    try {
      const example: ReviewExample = {
        jobId: 'j1',
        tenant: 't',
        partId: 'p1',
        task: 'extract',
        inputHash: 'h',
        text: 'Eingang am 12.03.2024, Rückfragen an erika@example.org oder max@example.org.',
        model: 'm',
        promptVersion: 'v',
        proposed: {},
        corrected: { eingangsdatum: '2024-03-12', emails: ['erika@example.org', 'max@example.org'], az: 'X-1' },
        spec: {
          kind: 'extract',
          schema: {
            type: 'object',
            properties: {
              eingangsdatum: { type: 'string', 'x-entity': 'date' },
              emails: { type: 'array', items: { type: 'string' }, 'x-entity': 'email' },
              az: { type: 'string', 'x-entity': 'aktenzeichen' },
            },
          },
        },
        reviewer: 'r',
        decidedAt: '2026-12-02T00:00:00Z',
      };
      const file = join(dir, 'corrections.jsonl');
      writeFileSync(file, `${JSON.stringify(example)}\n`);
      const report = evalReport(await runEval(await readEvalSet(file), new RulesAnalyser()));
      const fields = report.sets.corrections?.fields;
      expect(fields?.eingangsdatum).toMatchObject({ gold: 1, predicted: 1, precision: 1, recall: 1, exact: 1 });
      expect(fields?.emails).toMatchObject({ gold: 2, predicted: 2, recall: 1, exact: 1 });
      expect(fields?.az).toMatchObject({ gold: 1, predicted: 0, recall: 0, exact: 0 });
      expect(renderMarkdown(report)).toContain('| emails | 2 | 2 | 100.0 % |');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a quote that is not in the text is an error naming file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xgw-eval-'));
    try {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, `\n${JSON.stringify({ text: 'abc', entities: [{ kind: 'email', quote: 'x@y.de' }] })}\n`);
      await expect(readEvalSet(file)).rejects.toMatchObject({
        code: 'XGW_CONFIG_INVALID',
        detail: expect.stringContaining(`${file}:2:`),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
