import { makeDocxBomb, makePdfFlateBomb } from '../support/documents.js';
import { startTestGateway, waitForJob, type TestGateway } from '../support/gateway.js';

/** Issue #11, rows 1, 2 and 4: documents built to be expensive, sent with a task job. */
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
      body: JSON.stringify({ task: 'extract', document: { contentBase64: bytes.toString('base64'), mimeType }, schema: { type: 'object', properties: { datum: { type: 'string', 'x-entity': 'date' } } } }),
    });

  it('answers a DOCX zip bomb with 422 XGW_DOCUMENT_TOO_COMPLEX; the gateway keeps answering and does not grow', async () => {
    const bomb = makeDocxBomb(80 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const pending = postDocument(bomb, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    // The API's event loop stays free while the document is read elsewhere.
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const res = await pending;
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; detail: string; errors: { path: string }[] };
    expect(problem.code).toBe('XGW_DOCUMENT_TOO_COMPLEX');
    expect(problem.detail).toContain('DOCUMENT_MAX_UNPACKED_BYTES');
    expect(problem.errors[0]?.path).toBe('/document');
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('answers a PDF flate bomb with 422 XGW_DOCUMENT_TOO_COMPLEX', async () => {
    const res = await postDocument(await makePdfFlateBomb(800), 'application/pdf');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { code: string }).code).toBe('XGW_DOCUMENT_TOO_COMPLEX');
  });

  it('reads 800 KB of "<a" as HTML without text (422 XGW_DOCUMENT_UNREADABLE), and real HTML into a job', async () => {
    const hostile = await postDocument(Buffer.from('<a'.repeat(400_000)), 'text/html');
    expect(hostile.status).toBe(422);
    expect(await hostile.json()).toMatchObject({ code: 'XGW_DOCUMENT_UNREADABLE', documentStatus: 'empty' });
    const html = Buffer.from('<html><body><p>Eingang am 12.03.2024</p><script>alert(1)</script></body></html>');
    const res = await postDocument(html, 'text/html');
    expect(res.status).toBe(202);
    const job = await waitForJob(gw.url, ((await res.json()) as { location: string }).location);
    const result = job.result as { parts: { extraction: { status: string } }[]; findings: { extraction: { data: Record<string, unknown> } }[] };
    expect(result.parts[0]?.extraction.status).toBe('ok');
    expect(result.findings[0]?.extraction.data).toEqual({ datum: '2024-03-12' });
  });
});
