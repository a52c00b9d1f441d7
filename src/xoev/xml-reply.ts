import { XMLBuilder } from 'fast-xml-parser';

/** A code as the reply carries it (XÖV style: code plus its list reference where known). */
export interface ReplyCode {
  code: string;
  name?: string;
  listURI?: string;
  listVersionID?: string;
}

/**
 * The view of a job the XML reply needs; the API adapts a job record to it. Kept here so the
 * reply format has one owner.
 */
export interface ReplyResult {
  jobId: string;
  state: string;
  /** nachrichtenUUID / ProzessID of the message this answers (absent for task jobs). */
  messageId?: string;
  standard?: string;
  version?: string;
  /** The message type as the header codes it. */
  messageType?: ReplyCode;
  reference?: string;
  failedReason?: { code: string; detail: string };
  /** What the sender should know about its message (see MessageWarning). */
  warnings?: Array<{ code: string; detail: string; headerCode: string; rootCode: string }>;
  findings: Array<{
    partId: string;
    task: string;
    analyser: string;
    model: string;
    promptVersion: string;
    aiGenerated: boolean;
    confidence?: number;
    codes?: ReplyCode[];
    values?: Array<{ name: string; value: string | number | boolean; quote?: string; start?: number; end?: number }>;
  }>;
}

export const REPLY_NAMESPACE = 'urn:xoev-ai-gateway:ergebnis:1';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

function codeElement(c: ReplyCode): Record<string, unknown> {
  return {
    ...(c.listURI === undefined ? {} : { '@_listURI': c.listURI }),
    ...(c.listVersionID === undefined ? {} : { '@_listVersionID': c.listVersionID }),
    code: c.code,
    ...(c.name === undefined ? {} : { name: c.name }),
  };
}

/**
 * Renders a job as a well-formed XML reply that references the original message id and carries
 * codes with listURI/listVersionID as XÖV does, for Fachverfahren that speak XML only.
 */
export function renderResultXml(result: ReplyResult): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'xgw:ergebnis': {
      '@_xmlns:xgw': REPLY_NAMESPACE,
      '@_jobId': result.jobId,
      '@_status': result.state,
      'xgw:bezug': {
        ...(result.messageId === undefined ? {} : { 'xgw:nachrichtenUUID': result.messageId }),
        ...(result.standard === undefined ? {} : { 'xgw:standard': result.standard }),
        ...(result.version === undefined ? {} : { 'xgw:version': result.version }),
        ...(result.messageType === undefined ? {} : { 'xgw:nachrichtentyp': codeElement(result.messageType) }),
        ...(result.reference === undefined ? {} : { 'xgw:referenz': result.reference }),
      },
      'xgw:hinweis': (result.warnings ?? []).map((w) => ({
        '@_code': w.code,
        '@_nachrichtentypKopf': w.headerCode,
        '@_nachrichtentypWurzel': w.rootCode,
        '#text': w.detail,
      })),
      ...(result.failedReason === undefined
        ? {}
        : { 'xgw:fehler': { '@_code': result.failedReason.code, '#text': result.failedReason.detail } }),
      'xgw:befund': result.findings.map((f) => ({
        '@_teil': f.partId,
        '@_aufgabe': f.task,
        '@_analyser': f.analyser,
        '@_modell': f.model,
        '@_promptVersion': f.promptVersion,
        '@_kiGeneriert': String(f.aiGenerated),
        ...(f.confidence === undefined ? {} : { '@_konfidenz': String(f.confidence) }),
        'xgw:klasse': (f.codes ?? []).map(codeElement),
        'xgw:wert': (f.values ?? []).map((v) => ({
          '@_name': v.name,
          ...(v.start === undefined || v.start < 0 ? {} : { '@_von': String(v.start), '@_bis': String(v.end) }),
          ...(v.quote === undefined ? {} : { '@_beleg': v.quote }),
          '#text': String(v.value),
        })),
      })),
    },
  };
  return builder.build(doc);
}
