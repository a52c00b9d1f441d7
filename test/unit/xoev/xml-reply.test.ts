import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { fromRoot } from '../../../src/config/paths.js';
import { renderResultXml } from '../../../src/xoev/xml-reply.js';

it('renders a well-formed reply referencing the message id, codes with list reference', () => {
  const xml = renderResultXml({
    jobId: 'j1',
    state: 'done',
    messageId: '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11',
    standard: 'xbau',
    version: '2.6',
    messageType: { code: '0200', listURI: 'urn:xoev-de:xbau:codeliste:xbau-nachrichten', listVersionID: '4.0' },
    findings: [
      {
        partId: 'p3',
        task: 'classify',
        analyser: 'openai',
        model: 'm',
        promptVersion: 'classify.v1',
        aiGenerated: true,
        confidence: 0.9,
        codes: [
          {
            code: '0100',
            name: 'Lageplan & Karte',
            listURI: 'urn:xoev-de:xbau:codeliste:anlagen',
            listVersionID: '3.0',
          },
        ],
      },
      {
        partId: 'p1',
        task: 'extract',
        analyser: 'rules',
        model: 'r',
        promptVersion: 'rules-1',
        aiGenerated: false,
        values: [{ name: 'datum', value: '2024-03-12', quote: '12.03.2024 <x>', start: 4, end: 14 }],
      },
    ],
  });
  const doc = XmlDocument.fromString(xml);
  try {
    expect(doc.get('//*[local-name()="nachrichtenUUID"]')?.content).toBe('5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11');
    expect(doc.get('//*[local-name()="nachrichtentyp"]/@listURI')?.content).toBe(
      'urn:xoev-de:xbau:codeliste:xbau-nachrichten',
    );
    expect(doc.get('//*[local-name()="klasse"]/@listVersionID')?.content).toBe('3.0');
    expect(doc.get('//*[local-name()="klasse"]/name')?.content).toBe('Lageplan & Karte');
    expect(doc.get('//*[local-name()="wert"]/@beleg')?.content).toBe('12.03.2024 <x>');
    expect(doc.get('//*[local-name()="wert"]/@von')?.content).toBe('4');
  } finally {
    doc.dispose();
  }
});

describe('the result format has an XSD (schemas/xgw-ergebnis-1.xsd)', () => {
  const validator = XsdValidator.fromDoc(XmlDocument.fromBuffer(readFileSync(fromRoot('schemas/xgw-ergebnis-1.xsd'))));
  afterAll(() => validator.dispose());
  const valid = (xml: string): void => {
    const doc = XmlDocument.fromString(xml);
    try {
      validator.validate(doc);
    } finally {
      doc.dispose();
    }
  };
  it('a full reply, a failed one and a task job reply validate', () => {
    valid(
      renderResultXml({
        jobId: 'j1',
        state: 'done',
        messageId: 'm-1',
        standard: 'xbau',
        version: '2.6',
        messageType: { code: '0200', listURI: 'urn:x', listVersionID: '4.0' },
        reference: 'r-1',
        warnings: [{ code: 'XGW_HEADER_TYPE_MISMATCH', detail: 'd', headerCode: '0201', rootCode: '0200' }],
        findings: [
          {
            partId: 'p1',
            task: 'classify',
            analyser: 'rules',
            model: 'm',
            promptVersion: 'v',
            aiGenerated: false,
            confidence: 0.5,
            codes: [{ code: 'A', name: 'Antrag', listURI: 'urn:l', listVersionID: '1' }],
          },
          {
            partId: 'p2',
            task: 'extract',
            analyser: 'openai',
            model: 'm',
            promptVersion: 'v',
            aiGenerated: true,
            values: [
              { name: 'datum', value: '2024-03-12', quote: '12.03.2024', start: 4, end: 14 },
              { name: 'n', value: 3 },
            ],
          },
        ],
      }),
    );
    valid(
      renderResultXml({ jobId: 'j2', state: 'failed', failedReason: { code: 'XGW_X', detail: 'why' }, findings: [] }),
    );
    valid(renderResultXml({ jobId: 'j3', state: 'queued', findings: [] }));
  });
  it('is a real check: an element out of place is refused', () => {
    expect(() =>
      valid(
        renderResultXml({ jobId: 'j', state: 'done', findings: [] }).replace('status="done"', 'status="done" x="1"'),
      ),
    ).toThrow();
  });
});
