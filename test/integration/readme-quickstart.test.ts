import { readFileSync } from 'node:fs';
import { textBetween } from '../../src/config/config-docs.js';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

/** Issue #13, point 4: the README's quick start, as a new user runs it, gives what the README shows. */
describe('README quick start', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'quickstart');
  });
  afterAll(async () => {
    await gw.close();
  });

  it('accepts the example message and finds in its Bemerkung what the README shows, offline', async () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const file = /--data-binary @(examples\/messages\/[^\s]+\.xml)/.exec(readme)?.[1] ?? '';
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: readFileSync(fromRoot(file)),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { id: string; location: string; messageId: string; messageType: string };
    // The job id is derived from tenant, standard and message id: the README shows the very one.
    expect(readme).toContain(`Location: /v1/jobs/${accepted.id}`);
    expect(readme).toContain(`"messageId":"${accepted.messageId}"`);
    expect(readme).toContain(`"messageType":"${accepted.messageType}"`);
    const job = await waitForJob(gw.url, accepted.location);
    expect(job.state).toBe('done');
    const shown: unknown = JSON.parse(
      textBetween(readme, '<!-- quickstart-result:start -->', '<!-- quickstart-result:end -->').replace(
        /^```json\n|\n```$/g,
        '',
      ),
    );
    const findings = (
      job.result as { findings: { partId: string; analyser: string; extraction?: { data: unknown } }[] }
    ).findings;
    const bemerkung = findings.find((f) => f.partId === 'p2');
    expect(bemerkung?.analyser).toBe('rules');
    expect(bemerkung?.extraction?.data).toEqual(shown);
  });
});
