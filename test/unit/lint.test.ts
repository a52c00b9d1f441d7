import { spawnSync } from 'node:child_process';
import { fromRoot } from '../../src/config/paths.js';

/** Issue #12: the tree is formatted and passes the linter (Biome, biome.jsonc); `npm run format` fixes what it can. */
describe('format and lint', () => {
  it('biome ci finds nothing to format and no lint error', () => {
    const run = spawnSync(
      process.execPath,
      [fromRoot('node_modules/@biomejs/biome/bin/biome'), 'ci', '--colors=off', '.'],
      { cwd: fromRoot('.'), encoding: 'utf8' },
    );
    // On failure the message is Biome's own report, so the test output says what to fix.
    if (run.status !== 0) throw new Error((run.stdout + run.stderr).slice(0, 4000));
    expect(run.status).toBe(0);
  });
});
