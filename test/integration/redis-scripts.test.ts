import { runScript } from '../../src/jobs/redis-connection.js';
import { testRedis } from '../support/redis.js';

/** Scripts run by SHA1; a Redis that does not know one (restarted, flushed, a new node) gets its body once. */
it('runs a script by its SHA1 and sends the body again after SCRIPT FLUSH', async () => {
  const redis = testRedis();
  try {
    const lua = `return {KEYS[1], ARGV[1], '${Math.random()}'}`;
    const first = await runScript(redis, lua, 1, 'xgwtest-script-key', 'a');
    expect(Array.isArray(first) && first.slice(0, 2)).toEqual(['xgwtest-script-key', 'a']);
    // Every node forgets every script (a restart or failover does the same).
    await redis.script('FLUSH');
    expect(await runScript(redis, lua, 1, 'xgwtest-script-key', 'b')).toEqual([
      'xgwtest-script-key',
      'b',
      expect.any(String),
    ]);
    await expect(runScript(redis, 'return redis.call("NOSUCHCOMMAND")', 0)).rejects.toThrow(
      /Unknown Redis command|unknown command/i,
    );
  } finally {
    redis.disconnect();
  }
});
