import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The test database: trust auth on 127.0.0.1, database `test`, user from PGUSER or `postgres`. */
export const PG = { host: '127.0.0.1', port: 5432, database: 'test', user: process.env.PGUSER ?? 'postgres' };

/** A unique register table per test, so suites never see each other's rows. */
export function testTable(name: string): string {
  return `xgw_${name}_${randomUUID().slice(0, 8)}`.replace(/-/g, '_');
}

/** A client for assertions and clean-up (the connector under test has its own pool). */
export async function pgClient(): Promise<pg.Client> {
  const client = new pg.Client(PG);
  await client.connect();
  return client;
}

export async function dropTable(table: string): Promise<void> {
  const client = await pgClient();
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
  } finally {
    await client.end();
  }
}
