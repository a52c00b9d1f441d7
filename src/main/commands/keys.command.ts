import { createRedis, redisTarget } from '../../jobs/redis-connection.js';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config.js';
import { ApiKeyStore } from '../../security/api-key-store.js';

type Out = (line: string) => void;

export const KEYS_USAGE = `keys create --name NAME --roles ROLE[,ROLE…] --tenant TENANT   create an API key (printed once)
  keys list                     list API keys (id, name, roles, tenant, created, revoked)
  keys revoke ID                revoke an API key`;

/** The subcommands on a store; separate from Redis set-up so that tests run them directly. */
export async function runKeys(store: ApiKeyStore, args: readonly string[], out: Out, err: Out): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          roles: { type: 'string' },
          tenant: { type: 'string', default: 'default' },
        },
      });
      if (values.name === undefined || values.roles === undefined) {
        err('usage: xoev-gw keys create --name NAME --roles submitter,rpa --tenant TENANT');
        return 2;
      }
      try {
        const created = await store.create({
          name: values.name,
          roles: values.roles.split(',').map((r) => r.trim()),
          tenant: values.tenant,
        });
        out(created.key);
        err(
          `created API key ${created.record.id} "${created.record.name}" (roles ${created.record.roles.join(',')}, tenant ${created.record.tenant}).`,
        );
        err(
          'The key is shown only this once; the gateway stores only its hash. Send it as "Authorization: ApiKey <key>" or "X-API-Key: <key>".',
        );
        return 0;
      } catch (error) {
        err(`keys create: ${error instanceof Error ? error.message : String(error)}`);
        return 2;
      }
    }
    case 'list': {
      const keys = await store.list();
      out(['id', 'name', 'roles', 'tenant', 'created', 'revoked'].join('\t'));
      for (const k of keys)
        out([k.id, k.name, k.roles.join(','), k.tenant, k.createdAt, k.revoked ? 'revoked' : '-'].join('\t'));
      return 0;
    }
    case 'revoke': {
      const id = rest[0];
      if (id === undefined) {
        err('usage: xoev-gw keys revoke ID');
        return 2;
      }
      if (!(await store.revoke(id))) {
        err(`keys revoke: no API key ${id}`);
        return 1;
      }
      out(`revoked ${id}`);
      return 0;
    }
    default:
      err(`usage: xoev-gw ${KEYS_USAGE}`);
      return 2;
  }
}

/** `xoev-gw keys …` against REDIS_URL / QUEUE_PREFIX of the environment. */
export async function keysCommand(args: readonly string[], out: Out, err: Out): Promise<number> {
  const config = loadConfig();
  const redis = createRedis(redisTarget(config), 'api', {
    commandTimeout: 30_000,
    connectTimeout: 5000,
    enableOfflineQueue: true,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    return await runKeys(new ApiKeyStore(redis, config.queuePrefix), args, out, err);
  } finally {
    redis.disconnect();
  }
}
