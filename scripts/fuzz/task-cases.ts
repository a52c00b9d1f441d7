import { HOSTILE_TEXTS } from '../../test/support/hostile-texts.js';
import type { SeededRandom } from '../chaos/seeded-random.js';

/** One way of building a hostile POST /v1/jobs body (JSON, or something that pretends to be). */
export interface TaskMutation {
  name: string;
  make(rnd: SeededRandom): string;
}

const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch', 'einspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag', 'beantrage'] },
];
const SCHEMA = {
  type: 'object',
  properties: { datum: { type: 'string', 'x-entity': 'date' }, iban: { type: 'string', 'x-entity': 'iban' } },
};

/** A schema nested `depth` levels, as JSON text (JSON.stringify itself overflows the stack on 10,000 levels). */
function nestedSchemaJson(depth: number): string {
  return `${'{"type":"object","properties":{"x":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
}

function hostileText(rnd: SeededRandom): string {
  const make = rnd.pick(Object.values(HOSTILE_TEXTS));
  const unit = Math.max(1, make(1).length);
  return make(Math.max(1, Math.floor(rnd.pick([200, 20_000, 190_000, 400_000]) / unit)));
}

const classify = (extra: Record<string, unknown>): string =>
  JSON.stringify({ task: 'classify', text: 'Hiermit lege ich Widerspruch ein.', labels: LABELS, ...extra });
const extract = (extra: Record<string, unknown>): string =>
  JSON.stringify({ task: 'extract', text: 'Eingang am 12.03.2024.', schema: SCHEMA, ...extra });

export const TASK_MUTATIONS: readonly TaskMutation[] = [
  { name: 'task-intact', make: (r) => r.pick([classify({}), extract({})]) },
  {
    name: 'task-hostile-text',
    make: (r) => (r.next() < 0.5 ? classify({ text: hostileText(r), multi: true }) : extract({ text: hostileText(r) })),
  },
  {
    name: 'schema-deep',
    make: (r) =>
      `{"task":"extract","text":"Eingang am 12.03.2024.","schema":{"type":"object","properties":{"a":${nestedSchemaJson(r.pick([5, 17, 200, 10_000]))}}}}`,
  },
  {
    name: 'json-deep',
    make: (r) => {
      const d = r.pick([50, 70, 5_000, 50_000]);
      return `{"task":"extract","text":"x","schema":{"type":"object","properties":{"a":${'['.repeat(d)}1${']'.repeat(d)}}}}`;
    },
  },
  {
    name: 'schema-wide',
    make: (r) =>
      extract({
        schema: {
          type: 'object',
          properties: Object.fromEntries(
            Array.from({ length: r.pick([10, 199, 201, 5_000]) }, (_, i) => [`f${i}`, { type: 'string' }]),
          ),
        },
      }),
  },
  {
    name: 'schema-foreign',
    make: (r) =>
      extract({
        schema: {
          type: 'object',
          ...r.pick([{ $id: 'urn:example:x' }, { $schema: 'http://json-schema.org/draft-04/schema#' }, {}]),
          properties: {
            a: r.pick([
              { $ref: 'urn:example:x' },
              { $ref: 'https://127.0.0.1/s.json' },
              { $ref: '#/nope' },
              { $dynamicRef: '#x' },
              { type: 'string' },
            ]),
          },
        },
      }),
  },
  {
    name: 'schema-pattern',
    make: (r) =>
      extract({
        schema: {
          type: 'object',
          properties: {
            a: { type: 'string', pattern: r.pick(['(a+)+$', '^(\\w*x)*$', '[', '^\\d{2}$', 'a'.repeat(1_000)]) },
          },
        },
      }),
  },
  {
    name: 'schema-invalid',
    make: (r) =>
      extract({
        schema: r.pick([
          { type: 'object' },
          { type: 'object', properties: [] },
          { type: 'object', properties: { a: { type: 'nope' } } },
          { type: 'object', properties: { a: { minLength: -1 } } },
          { type: 'string' },
        ]),
      }),
  },
  {
    name: 'labels-many',
    make: (r) =>
      classify({
        labels: Array.from({ length: r.pick([100, 1_000, 1_001, 10_000]) }, (_, i) => ({
          code: `L${i}`,
          name: `Verfahrensart ${i}`,
          keywords: [`wort${i}`, 'widerspruch'],
        })),
      }),
  },
  {
    name: 'labels-odd',
    make: (r) =>
      classify({
        labels: r.pick([
          [],
          [{ code: 'A' }],
          [
            { code: 'A', name: 'A' },
            { code: 'A', name: 'B' },
          ],
          [{ code: '<script>', name: '\u0000\ud800', keywords: ['k'.repeat(200)] }],
          'WID',
        ]),
      }),
  },
  {
    name: 'callback-url',
    make: (r) =>
      classify({
        callbackUrl: r.pick([
          'file:///etc/passwd',
          'gopher://127.0.0.1:6379/_x',
          'ftp://x/y',
          'http://example.org/cb',
          'https://127.0.0.1/cb',
          'https://[::7f00:1]/x',
          'https://example.org/cb',
          'not a url',
          'https://a@b/c',
        ]),
      }),
  },
  {
    name: 'json-garbage',
    make: (r) =>
      r.pick([
        '',
        '{',
        '[]',
        'null',
        '"x"',
        '{"task":',
        `{"task":"classify","text":"${'\\u0000'.repeat(100)}","labels":[{"code":"A","name":"A"}]}`,
        '{"task":"classify","text":1e400}',
        '{"__proto__":{"task":"extract"}}',
        '{"task":"classify","task":"extract"}',
      ]),
  },
  {
    name: 'wrong-members',
    make: (r) => {
      const maybe = (key: string, values: readonly unknown[]): Record<string, unknown> =>
        r.next() < 0.3 ? {} : { [key]: r.pick(values) };
      return JSON.stringify({
        task: r.pick(['classify', 'extract', 'summarise', 7, null]),
        text: r.pick(['', 'x', 5, ['a']]),
        ...maybe('labels', [LABELS, {}]),
        ...maybe('schema', [SCHEMA, 'x']),
        ...maybe('confidenceThreshold', [-1, 2, 'x', 0.5]),
        ...maybe('multi', ['yes', true]),
      });
    },
  },
  {
    // Issue #16: the request profile on hostile texts, forms and members (text, form, receivedAt).
    name: 'posteingang',
    make: (r) => {
      const text = hostileText(r);
      return JSON.stringify(
        r.pick([
          { profile: 'posteingang', text },
          { profile: 'posteingang', form: { Name: 'A', Nachricht: text } },
          { profile: 'posteingang', form: Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`f${i}`, 'x'])) },
          { profile: 'posteingang', form: { [text.slice(0, 5000)]: text.slice(0, 1000) } },
          { profile: 'posteingang', text: 'Widerspruch', receivedAt: r.pick(['2026-02-30', '9999-99-99', '', 7]) },
          { profile: r.pick(['', 'POSTEINGANG', '../etc', 'x'.repeat(100), 7]), text: 'x' },
          { task: 'summarise', maxSentences: r.pick([0, 1, 10, 11, -1, 1.5, 'x']), text },
        ]),
      );
    },
  },
  {
    name: 'document-and-text',
    make: () => JSON.stringify({ task: 'classify', text: 'x', document: { contentBase64: 'eA==' }, labels: LABELS }),
  },
  {
    name: 'document-bad-base64',
    make: (r) =>
      classify({
        text: undefined,
        document: {
          contentBase64: r.pick(['!!!!', '====', 'eA', '\u00ff\u00fe', 'A'.repeat(3)]),
          mimeType: 'text/plain',
        },
      }),
  },
];
