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
    expect({
      status: run.status,
      output: (run.stdout + run.stderr)
        .split('\n')
        .filter((l) => /error|×/.test(l))
        .slice(0, 20),
    }).toEqual({ status: 0, output: [] });
  });
});
