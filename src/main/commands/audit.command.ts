import { createRedis, redisTarget } from '../../jobs/redis-connection.js';
import { loadConfig } from '../../config/config.js';
import { AuditTrail } from '../../observability/audit-trail.js';

type Out = (line: string) => void;

export const AUDIT_USAGE =
  'audit verify [JOB_ID…]        verify the hash chains of all (or the named) audit trails; exit 1 if one is broken';

/** Verifies chains and prints one line per broken chain and a summary. Returns the exit code. */
export async function runAuditVerify(trail: AuditTrail, jobIds: readonly string[], out: Out): Promise<number> {
  let checked = 0;
  let broken = 0;
  const ids: AsyncIterable<string> | Iterable<string> = jobIds.length > 0 ? jobIds : trail.jobIds();
  for await (const id of ids) {
    const report = await trail.read(id);
    checked++;
    if (report.verified) continue;
    broken++;
    out(
      `BROKEN ${id}: entry ${report.brokenAt?.index ?? '?'} (${report.brokenAt?.id ?? '?'}): ${report.brokenAt?.reason ?? 'unknown'}`,
    );
  }
  out(`${checked} audit trail(s) checked, ${broken} broken`);
  return broken === 0 ? 0 : 1;
}

/** `xoev-gw audit verify` against REDIS_URL / QUEUE_PREFIX of the environment. */
export async function auditCommand(args: readonly string[], out: Out, err: Out): Promise<number> {
  const [sub, ...ids] = args;
  if (sub !== 'verify') {
    err(`usage: xoev-gw ${AUDIT_USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const redis = createRedis(redisTarget(config), 'api', {
    commandTimeout: 30_000,
    connectTimeout: 5000,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    return await runAuditVerify(new AuditTrail(redis, config.queuePrefix, config.auditRetentionS), ids, out);
  } finally {
    redis.disconnect();
  }
}
