import type { SeededRandom } from '../chaos/seeded-random.js';
import { MUTATIONS } from './mutators.js';

/** One fuzz input for POST /mcp: a name for the report and the JSON-RPC body. */
export interface McpCase {
  name: string;
  body: Buffer;
}

const call = (id: number, name: string, args: unknown): string =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/**
 * Hostile and broken MCP requests: mutated XÖV messages through `validate_message` and
 * `submit_message`, wrong argument types, unknown tools and methods, JSON-RPC without its fields,
 * batches, deep nesting, huge strings, non-JSON.
 */
export function mcpCase(rnd: SeededRandom, sample: Buffer): McpCase {
  const id = rnd.int(1, 1_000_000);
  const kind = rnd.pick([
    'validate-mutated',
    'submit-mutated',
    'wrong-types',
    'unknown-tool',
    'unknown-method',
    'no-jsonrpc',
    'batch',
    'deep',
    'huge-string',
    'not-json',
    'get-job-garbage',
  ] as const);
  switch (kind) {
    case 'validate-mutated':
    case 'submit-mutated': {
      const m = rnd.pick(MUTATIONS);
      const xml = m.apply(sample, rnd).body.toString('utf8');
      const tool = kind === 'validate-mutated' ? 'validate_message' : 'submit_message';
      return { name: `${kind}:${m.name}`, body: Buffer.from(call(id, tool, { xml })) };
    }
    case 'wrong-types':
      return {
        name: kind,
        body: Buffer.from(
          call(id, rnd.pick(['validate_message', 'get_job', 'submit_task', 'list_reviews']), {
            xml: 42,
            id: { $ne: null },
            text: ['a'],
            limit: -5,
          }),
        ),
      };
    case 'unknown-tool':
      return { name: kind, body: Buffer.from(call(id, `x${'y'.repeat(rnd.int(0, 300))}`, {})) };
    case 'unknown-method':
      return {
        name: kind,
        body: Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method: 'sampling/createMessage' })),
      };
    case 'no-jsonrpc':
      return { name: kind, body: Buffer.from(JSON.stringify({ id, params: { name: 'get_job' } })) };
    case 'batch':
      return {
        name: kind,
        body: Buffer.from(
          `[${Array.from({ length: rnd.int(1, 200) }, (_, k) => call(k, 'list_standards', {})).join(',')}]`,
        ),
      };
    case 'deep':
      return {
        name: kind,
        body: Buffer.from(call(id, 'get_job', JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`))),
      };
    case 'huge-string':
      return {
        name: kind,
        body: Buffer.from(call(id, 'validate_message', { xml: 'x'.repeat(rnd.int(1000, 2_000_000)) })),
      };
    case 'not-json':
      return { name: kind, body: Buffer.from(`{"jsonrpc":"2.0","id":${id},"method":"tools/list"`) };
    case 'get-job-garbage':
      return { name: kind, body: Buffer.from(call(id, 'get_job', { id: `../../${'%00'.repeat(rnd.int(1, 50))}` })) };
  }
}
