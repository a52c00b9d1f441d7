import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fromRoot } from '../../src/config/paths.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/** Issue #16: the README's e-mail example, run as written (shell, curl, base64) against a gateway on its port. */
describe('README e-mail example', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'readme-email');
  });
  afterAll(async () => {
    await gw.close();
  });

  /** A README command as written (shell, curl, base64), on this gateway's port; its stdout. */
  const run = async (command: string | undefined): Promise<string> =>
    (
      await promisify(execFile)(
        'bash',
        ['-c', (command ?? '').replaceAll('localhost:8080', `localhost:${new URL(gw.url).port}`)],
        {
          cwd: fromRoot('.'),
        },
      )
    ).stdout;

  it('submits examples/mail/widerspruch.eml and finds the IBAN of its new text', async () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const command = /```sh\n(curl -s -X POST localhost:8080\/v1\/jobs[^`]*widerspruch\.eml[^`]*)```/.exec(readme)?.[1];
    expect(command).toBeDefined();
    const stdout = await run(command);
    const accepted = JSON.parse(stdout) as { location: string };
    const job = await waitForJob(gw.url, accepted.location);
    expect(job.state).toBe('done');
    const findings = (job.result as { findings: { extraction?: { data: unknown } }[] }).findings;
    expect(findings[0]?.extraction?.data).toEqual({ iban: 'DE89370400440532013000' });
  });

  it('posts the same mail raw to POST /v1/messages as the README shows, once', async () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const command = /(curl -s -X POST localhost:8080\/v1\/messages -H 'Content-Type: message\/rfc822'[^\n]*)/.exec(
      readme,
    )?.[1];
    expect(command).toBeDefined();
    const stdout = await run(command);
    // Raw on POST /v1/messages: a job of its own (another task than the README's extraction), and
    // the same mail posted again is that job.
    const accepted = JSON.parse(stdout) as { location: string; duplicate: boolean };
    expect(accepted.duplicate).toBe(false);
    expect((JSON.parse(await run(command)) as { duplicate: boolean }).duplicate).toBe(true);
    // The Posteingang profile: Anliegen, deadline, unit and a draft Eingangsbestätigung wait for a person.
    const job = await waitForJob(gw.url, accepted.location);
    expect(job.state).toBe('review');
    const proposal = (job.result as { proposal: { facts: Record<string, unknown> } }).proposal;
    expect(proposal.facts.anliegen).toContain('WID');
  });

  it('runs the README contact form through the Posteingang profile: Auskunft, its deadline from receivedAt, the Datenschutz unit', async () => {
    const readme = readFileSync(fromRoot('README.md'), 'utf8');
    const command =
      /```sh\n(?:[^\n]*\n)?(curl -s -X POST localhost:8080\/v1\/jobs [^`]*"profile": "posteingang"[^`]*?\n\}')\n```/.exec(
        readme,
      )?.[1];
    expect(command).toBeDefined();
    const stdout = await run(command);
    const job = await waitForJob(gw.url, (JSON.parse(stdout) as { location: string }).location);
    expect(job.state).toBe('review');
    const facts = (job.result as { proposal: { facts: Record<string, unknown> } }).proposal.facts;
    // One month after 14.4.2026 is Christi Himmelfahrt (14.5.): the period ends on Friday 15.5.
    expect(facts).toMatchObject({ anliegen: 'AUS', zustaendig: 'DATENSCHUTZ', frist: '2026-05-15' });
  });
});
