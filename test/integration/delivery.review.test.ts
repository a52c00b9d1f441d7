/**
 * AI proposes, a person decides, then the fact is delivered: a task job (no profile) goes to review,
 * a reviewer accepts it, and the default delivery puts the finding into the register with the
 * reviewer in its provenance.
 */
import { writeConnectorsFile } from '../support/connectors-file.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';
import { dropTable, PG, pgClient, testTable } from '../support/postgres.js';

const LABELS = [
  { code: 'WID', name: 'Widerspruch', keywords: ['widerspruch'] },
  { code: 'ANT', name: 'Antrag', keywords: ['antrag'] },
];

describe('delivery after review (default delivery for task jobs)', () => {
  const table = testTable('review');
  let gw: TestGateway;
  beforeAll(async () => {
    const file = writeConnectorsFile({
      connectors: { akten: { type: 'postgres-register', config: { ...PG, table, createTable: true } } },
      defaultDelivery: { connector: 'akten' },
    });
    gw = await startTestGateway({ CONNECTORS_FILE: file, DELIVERY_BACKOFF_MS: '50' }, 'delivery-review');
  });
  afterAll(async () => {
    await gw.close();
    await dropTable(table);
  });

  it('delivers the accepted finding once, with the reviewer as provenance', async () => {
    const res = await fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // A threshold no keyword match reaches: a person must decide.
      body: JSON.stringify({
        task: 'classify',
        text: 'Hiermit lege ich Widerspruch gegen den Bescheid ein.',
        labels: LABELS,
        confidenceThreshold: 0.999,
      }),
    });
    expect(res.status).toBe(202);
    const { location, id } = (await res.json()) as { location: string; id: string };
    expect((await waitForJob(gw.url, location, ['review', 'done', 'failed'])).state).toBe('review');
    const before = (await (await fetch(`${gw.url}/v1/jobs/${id}/deliveries`)).json()) as { deliveries: unknown[] };
    expect(before.deliveries).toEqual([]);

    const decided = await fetch(`${gw.url}/v1/reviews/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'accept' }),
    });
    expect(decided.status).toBe(200);
    expect((await waitForJob(gw.url, location, ['done', 'failed'])).state).toBe('done');

    const db = await pgClient();
    try {
      const rows = (
        await db.query<{
          fact: string;
          subject: string;
          fields: { codes: string[] };
          reviewer: string;
          job_id: string;
        }>(`SELECT * FROM ${table}`)
      ).rows;
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        fact: 'classify:/text',
        subject: id,
        reviewer: 'anonymous',
        job_id: id,
        fields: { codes: ['WID'] },
      });
    } finally {
      await db.end();
    }
    const after = (await (await fetch(`${gw.url}/v1/jobs/${id}/deliveries`)).json()) as {
      deliveries: { state: string; connector: string }[];
    };
    expect(after.deliveries).toEqual([expect.objectContaining({ connector: 'akten', state: 'delivered' })]);
  });
});
