import pg from 'pg';
import {
  ConnectorError,
  defineConnector,
  type Connector,
  type ConnectorManifest,
  type Delivery,
} from '../connector.js';

/** Config of a PostgreSQL register. The password is a secret (env var), never in the file. */
export interface PostgresRegisterConfig {
  /** Host of the database. @defaultValue 127.0.0.1 */
  host: string;
  /** @defaultValue 5432 */
  port: number;
  database: string;
  user: string;
  /** Table holding one row per delivered fact; letters, digits, `_`, optionally schema-qualified. */
  table: string;
  /** Create the table (and its indexes) at start-up if it is missing. @defaultValue false */
  createTable: boolean;
  /** Pool size. @defaultValue 4 */
  poolSize: number;
  /** Statement timeout in ms. @defaultValue 10000 */
  timeoutMs: number;
}

/** Connection-level failures a retry can fix (server down, restarting, too many clients, timeouts). */
const TRANSIENT_SQLSTATE = /^(08|53|57P0|40001|40P01)/;

function classify(error: unknown): ConnectorError {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const retryable =
    code === undefined || TRANSIENT_SQLSTATE.test(code) || code === 'ECONNREFUSED' || code === 'ETIMEDOUT';
  return new ConnectorError(`postgres: ${code ?? (error instanceof Error ? error.name : 'error')}`, retryable, {
    cause: error,
  });
}

/**
 * A register in a PostgreSQL table. Each delivery is one row keyed by its delivery key and written
 * with `INSERT … ON CONFLICT (delivery_key) DO NOTHING`, so a delivery repeated after a crash never
 * writes a second row. Provenance (message, job, models, prompt versions, reviewer) is stored with it.
 */
const manifest: ConnectorManifest<PostgresRegisterConfig> = {
  id: 'postgres-register',
  version: '1.0.0',
  description: 'Stores each fact as one row in a PostgreSQL table (upsert by delivery key) and looks facts up there.',
  capabilities: ['outbound', 'lookup'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['database', 'user', 'table'],
    properties: {
      host: { type: 'string', minLength: 1, default: '127.0.0.1' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 5432 },
      database: { type: 'string', minLength: 1 },
      user: { type: 'string', minLength: 1 },
      table: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?$' },
      createTable: { type: 'boolean', default: false },
      poolSize: { type: 'integer', minimum: 1, maximum: 100, default: 4 },
      timeoutMs: { type: 'integer', minimum: 100, default: 10000 },
    },
  },
  secrets: [{ name: 'password', required: false, doc: 'Password of `user` (omit for trust or peer authentication).' }],
};

export const postgresRegister = defineConnector<PostgresRegisterConfig>({
  manifest,
  create(config, context): Connector {
    const pool = new pg.Pool({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      ...(context.secrets.password === undefined ? {} : { password: context.secrets.password }),
      max: config.poolSize,
      statement_timeout: config.timeoutMs,
      connectionTimeoutMillis: config.timeoutMs,
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', (error) => context.logger.warn({ err: error.message }, 'postgres pool error'));
    const table = config.table;
    let ready: Promise<void> | undefined;
    const ensureTable = (): Promise<void> => {
      ready ??= (async () => {
        if (!config.createTable) return;
        await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (
          delivery_key text PRIMARY KEY,
          subject text NOT NULL,
          fact text NOT NULL,
          fields jsonb NOT NULL,
          source_message_id text,
          job_id text NOT NULL,
          tenant text NOT NULL,
          models text[] NOT NULL,
          prompt_versions text[] NOT NULL,
          reviewer text,
          delivered_at timestamptz NOT NULL DEFAULT now())`);
        const index = `${table.replace('.', '_')}_subject_fact`;
        await pool.query(`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (subject, fact)`);
      })().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      return ready;
    };
    let closed = false;
    return {
      manifest,
      name: context.name,
      async healthCheck() {
        try {
          await ensureTable();
          await pool.query(`SELECT 1 FROM ${table} LIMIT 1`);
          return { ok: true };
        } catch (error) {
          return { ok: false, detail: classify(error).message };
        }
      },
      async deliver(delivery: Delivery) {
        try {
          await ensureTable();
          const p = delivery.provenance;
          const res = await pool.query(
            `INSERT INTO ${table} (delivery_key, subject, fact, fields, source_message_id, job_id, tenant, models, prompt_versions, reviewer)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (delivery_key) DO NOTHING`,
            [
              delivery.key,
              delivery.subject,
              delivery.fact,
              JSON.stringify(delivery.fields),
              p.sourceMessageId ?? null,
              p.jobId,
              p.tenant,
              p.models,
              p.promptVersions,
              p.reviewer ?? null,
            ],
          );
          return { outcome: res.rowCount === 1 ? 'delivered' : 'duplicate', reference: delivery.key };
        } catch (error) {
          throw classify(error);
        }
      },
      async lookup(subject: string, fact: string) {
        try {
          await ensureTable();
          const res = await pool.query<{ fields: unknown }>(
            `SELECT fields FROM ${table} WHERE subject = $1 AND fact = $2 ORDER BY delivered_at DESC LIMIT 1`,
            [subject, fact],
          );
          const row = res.rows[0];
          if (row === undefined) return { found: false };
          const fields = row.fields;
          return typeof fields === 'object' && fields !== null && !Array.isArray(fields)
            ? { found: true, fields: Object.fromEntries(Object.entries(fields)) }
            : { found: true };
        } catch (error) {
          throw classify(error);
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        await pool.end();
      },
    };
  },
});
