import { readFileSync } from 'node:fs';
import { fromRoot } from '../../src/config/paths.js';
import { documentXml, makeDocx, makePdf } from '../support/documents.js';
import { startTestGateway, type TestGateway, waitForJob } from '../support/gateway.js';

/**
 * Issue #15: a Bauantrag with its Bauvorlagen beside it (multipart, as a transport delivers them):
 * each file is read where the message lists it, so the completeness check sees which are unreadable.
 */
describe('POST /v1/messages with the files a message lists (multipart)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ MAX_ATTACHMENT_BYTES: '200000', MAX_ATTACHMENTS_TOTAL_BYTES: '400000' }, 'multipart');
  });
  afterAll(async () => {
    await gw.close();
  });

  const xml = readFileSync(fromRoot('examples/messages/xbau-2.6-baugenehmigung.antrag.0200.xml'), 'utf8');
  const form = (message: string, files: { name: string; type: string; bytes: Buffer }[]): FormData => {
    const f = new FormData();
    f.append('message', new Blob([message], { type: 'application/xml' }), 'message.xml');
    for (const file of files) f.append('attachments', new Blob([file.bytes], { type: file.type }), file.name);
    return f;
  };

  it('reads each listed file; an unreadable Bauvorlage becomes its own Befund', async () => {
    const message = xml.replace('0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e40', '0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e41');
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: form(message, [
        { name: 'lageplan.pdf', type: 'application/pdf', bytes: makePdf(['Lageplan 1:500, Flurstück 12/3']) },
        {
          name: 'grundrisse_eg_og.pdf',
          type: 'application/pdf',
          bytes: makePdf(['Grundriss Erdgeschoss', 'Grundriss Obergeschoss']),
        },
        {
          name: 'schnitt_a-a.pdf',
          type: 'application/pdf',
          bytes: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog', 'latin1'),
        },
        {
          name: 'baubeschreibung.pdf',
          type: 'application/pdf',
          bytes: makePdf(['Baubeschreibung: Massivbau, Satteldach.']),
        },
        {
          name: 'statik.docx',
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: makeDocx(documentXml(['Standsicherheitsnachweis, Tragwerksplanung'])),
        },
        { name: 'nachgereicht.txt', type: 'text/plain', bytes: Buffer.from('Bitte beachten Sie die Anlagen.') },
      ]),
    });
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    const job = await waitForJob(gw.url, location, ['review', 'done', 'failed']);
    expect(job.state).toBe('review');
    const result = job.result as {
      parts: { id: string; fileName?: string; extraction?: { status: string } }[];
      proposal: { items: { id: string; kind: string; text: string }[]; facts: Record<string, unknown> };
    };
    const status = Object.fromEntries(
      result.parts.filter((p) => p.fileName).map((p) => [p.fileName, p.extraction?.status]),
    );
    expect(status).toMatchObject({
      'lageplan.pdf': 'ok',
      'grundrisse_eg_og.pdf': 'ok',
      'schnitt_a-a.pdf': 'unreadable',
      'nachgereicht.txt': 'ok',
    });
    const unreadable = result.proposal.items.filter((i) => i.kind === 'unreadable');
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.text).toContain('schnitt_a-a.pdf');
    expect(result.proposal.facts.nichtGeprueft).toBeUndefined();
  });

  it('matches a file name with umlauts, sent as UTF-8 and decomposed (NFD), to the name the message lists', async () => {
    const message = xml
      .replace('0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e40', '0c8f3a52-41d7-4e9b-8a3e-6b2d9f1c7e42')
      .replace('lageplan.pdf', 'Lageplan Gebäude Straße.pdf');
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: form(message, [
        {
          name: 'Lageplan Gebäude Straße.pdf'.normalize('NFD'),
          type: 'application/pdf',
          bytes: makePdf(['Lageplan 1:500']),
        },
      ]),
    });
    expect(res.status).toBe(202);
    const { location } = (await res.json()) as { location: string };
    const job = await waitForJob(gw.url, location, ['review', 'done', 'failed']);
    const parts = (job.result as { parts: { fileName?: string; extraction?: { status: string } }[] }).parts;
    const lageplan = parts.filter((p) => p.fileName?.normalize('NFC') === 'Lageplan Gebäude Straße.pdf');
    expect(lageplan).toHaveLength(1);
    expect(lageplan[0]?.extraction?.status).toBe('ok');
  });

  it('refuses too large files, too many bytes and duplicate names with problem+json, and accepts nothing', async () => {
    const big = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: form(xml, [{ name: 'lageplan.pdf', type: 'application/pdf', bytes: Buffer.alloc(300_000, 65) }]),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/problem\+json/);
    const total = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: form(
        xml,
        ['a', 'b', 'c'].map((n) => ({ name: `${n}.pdf`, type: 'application/pdf', bytes: Buffer.alloc(190_000, 66) })),
      ),
    });
    expect(total.status).toBe(413);
    expect(((await total.json()) as { code: string }).code).toBe('XGW_ATTACHMENT_LIMIT');
    const twice = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: form(xml, [
        { name: 'a.pdf', type: 'application/pdf', bytes: makePdf(['x']) },
        { name: 'a.pdf', type: 'application/pdf', bytes: makePdf(['y']) },
      ]),
    });
    expect(twice.status).toBe(400);
    const none = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      body: (() => {
        const f = new FormData();
        f.append('attachments', new Blob(['x']), 'a.pdf');
        return f;
      })(),
    });
    expect(none.status).toBe(400);
    // Nothing of these reached the store: the example's job does not exist.
    expect((await fetch(`${gw.url}/v1/jobs?limit=5`)).status).not.toBe(500);
  });
});
