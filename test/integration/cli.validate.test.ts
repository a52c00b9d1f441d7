import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { validateCommand } from '../../src/main/commands/validate.command.js';
import { postMessage, startTestGateway, type TestGateway } from '../support/gateway.js';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('src/main/cli.ts'), ...args], {
    cwd: fromRoot('.'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('xoev-gw validate (offline CLI)', () => {
  it('accepts a valid message and names its standard, type and message id', () => {
    const r = cli('validate', 'examples/messages/xdomea-3.0.0-Aussonderung.0503.xml');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('OK xdomea 3.0.0 Aussonderung.Aussonderung.0503 9fde4e7a-b41b-11ec-9225-005056871b7c');
  });

  it('rejects an invalid message with the XSD violation and its line, exit code 1', () => {
    const r = cli(
      'validate',
      'test/fixtures/xbau/baugenehmigung.antrag.0200.xml',
      'test/fixtures/xbau/invalid/formellePruefung-unexpected-frist.0201.xml',
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('baugenehmigung.antrag.0200.xml: OK xbau 2.6');
    expect(r.stdout).toMatch(/formellePruefung-unexpected-frist\.0201\.xml: invalid XGW_XOEV_INVALID/);
    expect(r.stdout).toMatch(
      /\n {2}25:\S* Element '\{http:\/\/www\.xleitstelle\.de\/xbau\/2\/6\}frist': This element is not expected/,
    );
  });

  it('explains its usage when called without files', () => {
    expect(cli('validate').status).toBe(2);
  });

  it('answers --help with the usage and a mistyped option with the usage, not a stack trace', () => {
    const help = cli('eval', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: xoev-gw eval /);
    const wrong = cli('eval', '--bogus');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain("xoev-gw eval: Unknown option '--bogus'");
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('xoev-gw validate gives the verdict the API gives (issue #12)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'cli-verdict');
  });
  afterAll(async () => {
    await gw.close();
  });

  const shipped = [
    ...xmlFiles('examples/messages'),
    ...xmlFiles('test/fixtures/xbau'),
    ...xmlFiles('test/fixtures/xbau/invalid'),
    'test/fixtures/xdemo/demo.meldung.0001.xml',
  ];
  const broken: [string, (xml: string) => string][] = [
    ['truncated', (x) => x.slice(0, Math.floor(x.length / 2))],
    ['with a DOCTYPE', (x) => x.replace(/^(<\?xml[^>]*\?>)?/, '$1<!DOCTYPE x [<!ENTITY e "e">]>')],
    [
      'in an unknown namespace',
      (x) => x.replace(/xmlns(:\w+)?="[^"]*"/, (m) => m.replace(/="[^"]*"/, '="urn:example:unknown"')),
    ],
    ['nested 150 deep', (x) => x.replace(/(<[A-Za-z_][^>!?]*>)/, `$1${'<d>'.repeat(150)}${'</d>'.repeat(150)}`)],
  ];

  it.each([
    ...shipped.map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
    ...broken.map(([name, make]): [string, string] => [
      `xdomea ${name}`,
      make(readFileSync('examples/messages/xdomea-3.0.0-Aussonderung.0503.xml', 'utf8')),
    ]),
  ])('%s', async (_name, xml) => {
    const dir = mkdtempSync(join(tmpdir(), 'xgw-verdict-'));
    const file = join(dir, 'message.xml');
    writeFileSync(file, xml);
    const lines: string[] = [];
    await validateCommand([file], gw.config, (l) => lines.push(l));
    rmSync(dir, { recursive: true, force: true });
    const res = await postMessage(gw.url, xml, { 'idempotency-key': `verdict-${randomUUID()}` });
    const api = res.status < 300 ? 'OK' : `invalid ${((await res.json()) as { code: string }).code}`;
    const cliVerdict = lines[0]?.replace(`${file}: `, '').match(/^(OK|invalid \S+)/)?.[1];
    expect(cliVerdict).toBe(api);
  });
});

function xmlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(dir, f));
}
