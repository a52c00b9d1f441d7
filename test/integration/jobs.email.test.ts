import { makeMail } from '../support/emails.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/** Issue #16, e-mail in: a citizen's .eml as the document of a task job; its Message-ID makes it once-only. */
describe('POST /v1/jobs with an e-mail (message/rfc822)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'jobs-email');
  });
  afterAll(async () => {
    await gw.close();
  });

  const mail = makeMail(
    [
      'Sehr geehrte Damen und Herren,',
      'gegen den Gebührenbescheid vom 12.11.2026 lege ich Widerspruch ein.',
      'Bitte erstatten Sie den Betrag auf DE89 3704 0044 0532 0130 00.',
      '-- ',
      'Erika Musterfrau, Tel. 0221 1234567',
      'Am 20.11.2026 schrieb Bürgerbüro:',
      '> Ihre IBAN DE02 1203 0000 0000 2020 51 ist hinterlegt.',
    ].join('\n'),
    { encoding: 'quoted-printable-latin1', messageId: `widerspruch-${Date.now()}@example.org` },
  );
  const submit = (): Promise<Response> =>
    fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task: 'extract',
        document: { contentBase64: mail.toString('base64'), mimeType: 'message/rfc822', fileName: 'widerspruch.eml' },
        schema: {
          type: 'object',
          properties: {
            ibans: { type: 'array', items: { type: 'string', 'x-entity': 'iban' } },
            telefonnummern: { type: 'array', items: { type: 'string', 'x-entity': 'phone' } },
          },
        },
      }),
    });

  it('reads the new text and signature, not the quoted history, and takes the same mail once', async () => {
    const first = await submit();
    expect(first.status).toBe(202);
    const { id, location } = (await first.json()) as { id: string; location: string };
    const again = await submit();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string; duplicate: boolean }).id).toBe(id);
    const job = await waitForJob(gw.url, location, ['done', 'review', 'failed']);
    const result = job.result as {
      parts: { mimeType?: string; extraction?: { status: string } }[];
      findings: { extraction?: { data: Record<string, unknown> } }[];
    };
    expect(result.parts[0]).toMatchObject({ mimeType: 'message/rfc822', extraction: { status: 'ok' } });
    // The IBAN of the quoted history (the authority's own earlier mail) is not the citizen's.
    expect(result.findings[0]?.extraction?.data).toMatchObject({
      ibans: ['DE89370400440532013000'],
      telefonnummern: ['+492211234567'],
    });
  });

  it('takes an e-mail on POST /v1/messages too: once per Message-ID, through the Posteingang profile', async () => {
    const other = makeMail('Bitte rufen Sie mich an: 0221 1234567. Mit freundlichen Grüßen\nMax Mustermann', {
      messageId: `rueckruf-${Date.now()}@example.org`,
    });
    const post = (): Promise<Response> =>
      fetch(`${gw.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: other });
    const first = await post();
    expect(first.status).toBe(202);
    const { id, location } = (await first.json()) as { id: string; location: string };
    const second = await post();
    expect(second.status).toBe(200);
    expect(((await second.json()) as { id: string }).id).toBe(id);
    // A mail is a citizen's request: the Posteingang profile runs, and a person decides its draft.
    const job = await waitForJob(gw.url, location, ['done', 'review', 'failed']);
    expect(job.state).toBe('review');
    const result = job.result as {
      findings: { name?: string; extraction?: { data: Record<string, unknown> } }[];
      proposal?: { check: string };
    };
    expect(result.findings.find((f) => f.name === 'angaben')?.extraction?.data.telefon).toBe('+492211234567');
    expect(result.proposal?.check).toBe('posteingang');
  });

  it('answers a mail larger than the document limit with problem+json', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024, 0x61);
    const res = await fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task: 'extract',
        document: { contentBase64: big.toString('base64'), mimeType: 'message/rfc822' },
        schema: { type: 'object', properties: {} },
      }),
    });
    expect([413]).toContain(res.status);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
