/**
 * How many source files one XÖV message runs through on its way from POST /v1/messages to a register
 * row: a gateway of the tree at `--root` (this one by default, or a checkout of an older commit)
 * runs in this process under V8 coverage; after start-up the counters are reset, one XBau Bauantrag
 * goes through to a PostgreSQL register, and the files under src/ with any function run since are
 * counted, per folder. Background timers of the gateway (outbox relay, stalled-job checks) run in
 * that window too, in every version alike.
 *
 *   NODE_V8_COVERAGE=/tmp/walk-cov npx tsx scripts/measure/message-walk.ts [--root DIR]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const rootArg = process.argv.indexOf('--root');
const root = resolve(rootArg > 0 ? (process.argv[rootArg + 1] ?? '.') : '.');
const coverageDir = process.env.NODE_V8_COVERAGE;
if (coverageDir === undefined) throw new Error('run with NODE_V8_COVERAGE=<dir>');

interface GatewayModule {
  startTestGateway(
    env: Record<string, string>,
    name: string,
  ): Promise<{
    url: string;
    runtime: { store: { get(id: string): Promise<{ state: string } | undefined> } };
    close(): Promise<void>;
  }>;
}

const { startTestGateway } = (await import(pathToFileURL(join(root, 'test/support/gateway.ts')).href)) as GatewayModule;
const dir = mkdtempSync(join(tmpdir(), 'xgw-walk-'));
const table = `walk_${Date.now()}`;
const connectors = join(dir, 'connectors.json');
writeFileSync(
  connectors,
  JSON.stringify({
    connectors: {
      bauregister: {
        type: 'postgres-register',
        config: { host: '127.0.0.1', database: 'test', user: 'postgres', table, createTable: true },
      },
    },
  }),
);
const gw = await startTestGateway({ CONNECTORS_FILE: connectors, LOG_LEVEL: 'silent' }, 'walk');
const template = readFileSync(join(root, 'test/fixtures/xbau/baugenehmigung.antrag.0200.xml'), 'utf8');
// Each message has its own text (and message id), so its analysis is not answered from the finding cache.
const messageFor = (n: number): string =>
  template
    .replace('Neubau eines Einfamilienhauses', `Neubau eines Einfamilienhauses Nr. ${n}`)
    .replace(/(<nachrichtenUUID>)[^<]+/, `$1${crypto.randomUUID()}`);

// Warm-up: one message first, so that what runs once per process (lazy loads) is not counted.
const post = async (n: number): Promise<string> => {
  const res = await fetch(`${gw.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml' },
    body: messageFor(n),
  });
  return ((await res.json()) as { id: string }).id;
};
// Polled in the store, not over HTTP: GET /v1/jobs/{id} is not part of the walk.
const finish = async (id: string): Promise<string> => {
  for (let i = 0; i < 400; i++) {
    const state = (await gw.runtime.store.get(id))?.state ?? '';
    if (state === 'done' || state === 'failed' || state === 'review') return state;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the job did not end');
};
await finish(await post(1));

const before = new Set(existsSync(coverageDir) ? readdirSync(coverageDir) : []);
v8.takeCoverage(); // writes and resets the counters
const ended = await finish(await post(2));
v8.takeCoverage();
await gw.close();

const files = readdirSync(coverageDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => join(coverageDir, f))
  .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
const latest = files.filter((f) => !before.has(f.split('/').pop() ?? '')).pop() ?? files[files.length - 1] ?? '';
interface Coverage {
  result: { url: string; functions: { ranges: { count: number }[] }[] }[];
}
const report = JSON.parse(readFileSync(latest, 'utf8')) as Coverage;
const src = pathToFileURL(join(root, 'src')).href;
const ran = report.result
  .filter((s) => s.url.startsWith(`${src}/`) && s.functions.some((f) => (f.ranges[0]?.count ?? 0) > 0))
  .map((s) => s.url.slice(src.length + 1));
const byFolder = new Map<string, number>();
for (const f of ran) byFolder.set(f.split('/')[0] ?? '', (byFolder.get(f.split('/')[0] ?? '') ?? 0) + 1);
process.stdout.write(
  `${root}: ${ran.length} files in ${byFolder.size} folders of src/ ran for one message (ended ${ended})\n`,
);
for (const [folder, n] of [...byFolder].sort()) process.stdout.write(`  ${folder}: ${n}\n`);
if (process.argv.includes('--list')) for (const f of ran.sort()) process.stdout.write(`    ${f}\n`);
