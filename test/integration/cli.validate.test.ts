import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';

function cli(...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fromRoot('src/main/cli.ts'), ...args], {
    cwd: fromRoot('.'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout };
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
});
