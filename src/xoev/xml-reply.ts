import { XMLBuilder } from 'fast-xml-parser';

/** A code as the reply carries it (XÖV style: code plus list reference). */
export interface ReplyCode {
  code: string;
  name?: string;
  listURI: string;
  listVersionID: string;
}

/**
 * The minimal view of a job result the XML reply needs; the pipeline adapts its result to this.
 * Kept here so the reply format has one owner.
 */
export interface ReplyResult {
  jobId: string;
  /** nachrichtenUUID / ProzessID of the message this answers. */
  messageId: string;
  standard: string;
  version: string;
  messageType: string;
  status: 'done' | 'review' | 'failed';
  findings: Array<{ partId: string; task: string; codes?: ReplyCode[]; values?: Record<string, string | number | boolean>; confidence?: number }>;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });

/** Renders a job result as a well-formed XML reply referencing the original message id. */
export function renderResultXml(result: ReplyResult): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'xgw:ergebnis': {
      '@_xmlns:xgw': 'urn:xoev-ai-gateway:ergebnis:1',
      '@_jobId': result.jobId,
      '@_status': result.status,
      'xgw:bezug': { 'xgw:nachrichtenUUID': result.messageId, 'xgw:standard': result.standard, 'xgw:version': result.version, 'xgw:nachrichtentyp': result.messageType },
      'xgw:befund': result.findings.map((f) => ({
        '@_teil': f.partId,
        '@_aufgabe': f.task,
        ...(f.confidence === undefined ? {} : { '@_konfidenz': String(f.confidence) }),
        'xgw:code': (f.codes ?? []).map((c) => ({ '@_listURI': c.listURI, '@_listVersionID': c.listVersionID, code: c.code, ...(c.name === undefined ? {} : { name: c.name }) })),
        'xgw:wert': Object.entries(f.values ?? {}).map(([k, v]) => ({ '@_name': k, '#text': String(v) })),
      })),
    },
  };
  return builder.build(doc);
}
