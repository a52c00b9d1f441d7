import { readFileSync } from 'node:fs';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import { writeConnectorsFile } from '../support/connectors-file.js';
import { acceptedJob, startTestGateway, type TestGateway } from '../support/gateway.js';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';

/**
 * Issue #13, point 4: the README's connector example (XBau Bauantrag into a PostgreSQL register)
 * writes, offline, exactly the rows the README shows and skips the fact it says it skips.
 */
describe('README connector example', () => {
  const table = testTable('readme');
  let gw: TestGateway;
  beforeAll(async () => {
    const file = writeConnectorsFile({
      connectors: { bauregister: { type: 'postgres-register', config: { ...PG, table, createTable: true } } },
    });
    gw = await startTestGateway({ CONNECTORS_FILE: file }, 'readme-connector');
  });
  afterAll(async () => {
    await gw.close();
    await dropTable(table);
  });

  it('three submissions make one job; the register holds the rows the README shows', async () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const section = textBetween(readme, '## Delivery and connectors', '## Standards');
    const file = /--data-binary @(test\/fixtures\/xbau\/[^\s;]+\.xml)/.exec(section)?.[1] ?? '';
    const ids = new Set<string>();
    let location = '';
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: readFileSync(fromRoot(file)),
      });
      const body = (await res.json()) as { id: string; location: string };
      ids.add(body.id);
      location = body.location;
    }
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(section).toContain(`/v1/jobs/${id}/deliveries`);
    // The Bauantrag's completeness check puts it in review; the README accepts it as proposed.
    expect(section).toContain(`/v1/reviews/${id}/decision`);
    expect(section).toContain(`-d '{"decision":"accept"}'`);
    expect((await acceptedJob(gw.url, location)).state).toBe('done');

    const shown = textBetween(section, '<!-- connector-result:start -->', '<!-- connector-result:end -->')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('```'));
    const client = await pgClient();
    try {
      const rows = await client.query<{ fact: string; subject: string; fields: unknown }>(
        `SELECT fact, subject, fields FROM ${table}`,
      );
      expect(rows.rows).toHaveLength(2);
      for (const row of rows.rows) {
        const line = shown.find((l) => l.startsWith(`${row.fact} `));
        const [, subject, fields] = /^\S+\s+(\S+)\s+(\{.*\})$/.exec(line ?? '') ?? [];
        expect({ fact: row.fact, subject, fields: JSON.parse(fields ?? 'null') }).toEqual(row);
      }
    } finally {
      await client.end();
    }
    const res = await fetch(`${gw.url}/v1/jobs/${id}/deliveries`);
    const { deliveries } = (await res.json()) as { deliveries: { fact: string; state: string; detail?: string }[] };
    const skipped = deliveries.filter((d) => d.state === 'skipped');
    expect(skipped.map((d) => `${d.fact}   skipped: ${d.detail}`)).toEqual(shown.filter((l) => l.includes('skipped')));
  });
});
