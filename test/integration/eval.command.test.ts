import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { evalCommand } from '../../src/main/commands/eval.command.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm-server.js';

/**
 * `xoev-gw eval` against a provider (issue #14): the configured model answers over real HTTP, the
 * report names it, what the provider saw is pseudonymised, and `--baseline` fails the run when a
 * figure is worse.
 */
describe('xoev-gw eval with a configured provider', () => {
  let llm: FakeLlm;
  let dir: string;
  beforeAll(async () => {
    llm = await startFakeLlm();
    dir = mkdtempSync(join(tmpdir(), 'xgw-eval-cli-'));
    writeFileSync(
      join(dir, 'mini.jsonl'),
      `${JSON.stringify({
        id: 'm1',
        text: 'Kontoinhaberin: Nguyen Thi Lan, IBAN DE89 3704 0044 0532 0130 00, Az. 63-2026/0412.',
        entities: [
          { kind: 'person-name', quote: 'Nguyen Thi Lan' },
          { kind: 'iban', quote: 'DE89 3704 0044 0532 0130 00' },
          { kind: 'aktenzeichen', quote: '63-2026/0412' },
        ],
      })}\n`,
    );
  });
  afterAll(async () => {
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores the provider, pseudonymised, writes JSON, and the gate exits 1 on a worse figure', async () => {
    const config = loadConfig({ LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model', LLM_EXTERNAL: 'true' });
    const out: string[] = [];
    const err: string[] = [];
    const json = join(dir, 'run.json');
    const code = await evalCommand(
      [join(dir, 'mini.jsonl'), '--json', json, '--concurrency', '1'],
      config,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('model `fake-model`');
    expect(out.join('\n')).toContain('| person-name | 1 |');
    expect(llm.calls).toBeGreaterThan(0);
    const seen = JSON.stringify(llm.requests.map((r) => r.body));
    for (const secret of ['Nguyen', 'DE89 3704', '63-2026/0412']) expect(seen).not.toContain(secret);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    report.sets.mini.leaks['person-name'].rate = -1;
    const baseline = join(dir, 'better.json');
    writeFileSync(baseline, JSON.stringify(report));
    const gate = await evalCommand(
      [join(dir, 'mini.jsonl'), '--baseline', baseline, '--tolerance', '0'],
      config,
      () => undefined,
      (l) => err.push(l),
    );
    expect(gate).toBe(1);
    expect(err.join('\n')).toContain('mini person-name leak rate: -1 → 0');
  });
});
