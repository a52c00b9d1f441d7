import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

/**
 * Issue #13, point 8: docs/standards.md's walk-through, step by step: the files it shows are the
 * fixture's, the CLI check says what it shows, and the gateway on the new catalog gives the
 * documented header and findings.
 */
const DOC = readFileSync(fromRoot('docs/standards.md'), 'utf8');
const FIXTURE = fromRoot('test/fixtures/xmeldung/1.0');
const MESSAGE = 'test/fixtures/xmeldung/buerger.hinweis.0001.xml';

/** The ```json blocks of the walk-through, in order. */
function jsonBlocks(): unknown[] {
  const walk = textBetween(DOC, '## Walk-through', '## `standard.json` reference');
  return [...walk.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? 'null'));
}

describe('docs/standards.md walk-through', () => {
  let catalog: string;
  let gw: TestGateway;
  beforeAll(async () => {
    catalog = mkdtempSync(join(tmpdir(), 'my-catalog-'));
    cpSync(fromRoot('xoev-schemas'), catalog, { recursive: true });
    cpSync(FIXTURE, join(catalog, 'xmeldung', '1.0'), { recursive: true });
    gw = await startTestGateway({ XOEV_SCHEMAS_DIR: catalog }, 'walkthrough');
  });
  afterAll(async () => {
    await gw.close();
    rmSync(catalog, { recursive: true, force: true });
  });

  it('shows the files of the fixture', () => {
    const [descriptor, profile, schema] = jsonBlocks();
    const file = (rel: string): unknown => JSON.parse(readFileSync(join(FIXTURE, rel), 'utf8'));
    expect(descriptor).toEqual(file('standard.json'));
    expect(profile).toEqual(file('profiles/buerger.hinweis.0001.json'));
    expect(schema).toEqual(file('profiles/kontakt.schema.json'));
  });

  it('step 4: the CLI check prints what the docs show', async () => {
    // Not execFileSync: it would stop this process, and the gateway running in it, for seconds.
    const { stdout: out } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', fromRoot('src/main/cli.ts'), 'validate', '--schemas', catalog, MESSAGE],
      { cwd: fromRoot('.'), encoding: 'utf8' },
    );
    expect(DOC).toContain(`\`\`\`\n${out.trim()}\n\`\`\``);
  });

  it('step 5: the gateway reads the declared header and gives the documented findings', async () => {
    // As a client would: a 503 (the machine busy with other suites) says when to try again.
    let res = new Response(null, { status: 503 });
    for (let attempt = 0; attempt < 5 && res.status === 503; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
      res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: readFileSync(fromRoot(MESSAGE)),
      });
    }
    expect(res.status).toBe(202);
    const { id, location } = (await res.json()) as { id: string; location: string };
    expect(DOC).toContain(`curl -s localhost:8080/v1/jobs/${id}`);
    const job = await waitForJob(gw.url, location);
    expect(job.state).toBe('done');
    const result = job.result as {
      header: unknown;
      findings: {
        name?: string;
        classification?: { labels: { code: string; name: string }[] };
        extraction?: { data: unknown };
      }[];
    };
    const shown = JSON.parse(
      textBetween(
        DOC,
        '<!-- standards-walkthrough-result:start -->',
        '<!-- standards-walkthrough-result:end -->',
      ).replace(/^```json\n|\n```$/g, ''),
    );
    const byName = (name: string) => result.findings.find((f) => f.name === name);
    expect({
      header: result.header,
      anliegen: byName('anliegen')?.classification?.labels.map(({ code, name }) => ({ code, name })),
      kontakt: byName('kontakt')?.extraction?.data,
    }).toEqual(shown);
  });
});
