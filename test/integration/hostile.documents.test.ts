import { makeDocxBomb, makePdfFlateBomb } from '../support/documents.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

/**
 * Issue #11, rows 1, 2 and 4: documents built to be expensive, sent with a task job. The API
 * accepts them at once (it only checks the size); the worker reads them in a child process within
 * the document limits, and a document that cannot be read fails its job with a coded reason.
 */
describe('hostile documents on POST /v1/jobs', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, 'hostile-docs');
  });
  afterAll(async () => {
    await gw.close();
  });

  const postDocument = (bytes: Buffer, mimeType: string): Promise<Response> =>
    fetch(`${gw.url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        task: 'extract',
        document: { contentBase64: bytes.toString('base64'), mimeType },
        schema: { type: 'object', properties: { datum: { type: 'string', 'x-entity': 'date' } } },
      }),
    });

  const failedReason = async (res: Response): Promise<{ code: string; detail: string }> => {
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    expect(job.state).toBe('failed');
    return job.failedReason as { code: string; detail: string };
  };

  it('fails the job of a DOCX zip bomb with XGW_DOCUMENT_TOO_COMPLEX; the gateway keeps answering and does not grow', async () => {
    const bomb = makeDocxBomb(80 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const res = await postDocument(bomb, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // The API's event loop stays free while the document is read elsewhere.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const reason = await failedReason(res);
    expect(reason.code).toBe('XGW_DOCUMENT_TOO_COMPLEX');
    expect(reason.detail).toContain('DOCUMENT_MAX_UNPACKED_BYTES');
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('fails the job of a PDF flate bomb with XGW_DOCUMENT_TOO_COMPLEX', async () => {
    expect((await failedReason(await postDocument(await makePdfFlateBomb(800), 'application/pdf'))).code).toBe(
      'XGW_DOCUMENT_TOO_COMPLEX',
    );
  });

  it('reads 800 KB of "<a" as HTML without text (XGW_DOCUMENT_UNREADABLE, empty), and real HTML into a finding', async () => {
    const reason = await failedReason(await postDocument(Buffer.from('<a'.repeat(400_000)), 'text/html'));
    expect(reason.code).toBe('XGW_DOCUMENT_UNREADABLE');
    expect(reason.detail).toContain('empty');
    const html = Buffer.from('<html><body><p>Eingang am 12.03.2024</p><script>alert(1)</script></body></html>');
    const res = await postDocument(html, 'text/html');
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    const result = job.result as {
      parts: { extraction: { status: string } }[];
      findings: { extraction: { data: Record<string, unknown> } }[];
    };
    expect(result.parts[0]?.extraction.status).toBe('ok');
    expect(result.findings[0]?.extraction.data).toEqual({ datum: '2024-03-12' });
  });
});
