import { spawn } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';
import { startFakeLlm } from '../support/fake-llm-server.js';
import { example, postMessage, waitForJob } from '../support/gateway.js';
import { cleanPrefix, testPrefix, testRedisEnv } from '../support/redis.js';

async function waitForListening(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${buffer.slice(-500)}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const m = /"url":"(http:\/\/[^"]+)"/.exec(buffer);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

describe('graceful shutdown', () => {
  it('on SIGTERM stops taking requests, finishes the in-flight job and exits 0', async () => {
    const llm = await startFakeLlm({ behaviour: { kind: 'delay', ms: 400 } });
    const prefix = testPrefix('shutdown');
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('src/main/gateway.ts')], {
      env: {
        ...process.env,
        QUEUE_PREFIX: prefix,
        ...testRedisEnv(),
        REDIS_EMBEDDED: 'false',
        PORT: '0',
        LOG_LEVEL: 'info',
        LLM_BASE_URL: llm.url,
        LLM_MODEL: 'fake-model',
        LLM_EXTERNAL: 'false',
        SHUTDOWN_GRACE_SECONDS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await waitForListening(child);
      const res = await postMessage(url, example('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml'));
      const { location } = (await res.json()) as { location: string };
      await waitForJob(url, location, ['analysing']);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // The process is gone; read the record through a fresh API on the same Redis prefix.
      const { startTestGateway } = await import('../support/gateway.js');
      const api = await startTestGateway({ QUEUE_PREFIX: prefix, ROLE: 'api' }, 'shutdown');
      try {
        const job = (await (await fetch(api.url + location)).json()) as { state: string };
        expect(job.state).toBe('done');
      } finally {
        await api.runtime.close();
        await api.services.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await llm.close();
      await cleanPrefix(prefix);
    }
  }, 60_000);
});
