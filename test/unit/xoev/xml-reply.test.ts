import { XmlDocument } from 'libxml2-wasm';
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
