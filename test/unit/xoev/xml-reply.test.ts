import { XmlDocument } from 'libxml2-wasm';
import { renderResultXml } from '../../../src/xoev/xml-reply.js';

it('renders a well-formed reply referencing the message id, codes with list reference', () => {
  const xml = renderResultXml({
    jobId: 'j1', messageId: '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11', standard: 'xbau', version: '2.6', messageType: 'baugenehmigung.antrag.0200', status: 'done',
    findings: [{ partId: 'p3', task: 'anlageart', confidence: 0.9, codes: [{ code: '0100', name: 'Lageplan & Karte', listURI: 'urn:xoev-de:xbau:codeliste:anlagen', listVersionID: '3.0' }] }],
  });
  const doc = XmlDocument.fromString(xml);
  try {
    expect(doc.get('//*[local-name()="nachrichtenUUID"]')?.content).toBe('5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11');
    expect(doc.get('//*[local-name()="code"]/@listVersionID')?.content).toBe('3.0');
    expect(doc.get('//*[local-name()="code"]/name')?.content).toBe('Lageplan & Karte');
  } finally { doc.dispose(); }
});
