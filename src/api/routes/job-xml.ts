import type { JobRecord } from '../../jobs/job-record.js';
import { renderResultXml, type ReplyResult } from '../../xoev/xml-reply.js';

/** A job record as the XÖV-style XML reply (GET /v1/jobs/{id} with Accept: application/xml). */
export function jobXml(record: JobRecord): string {
  const result = record.result;
  const header = result?.header;
  const reply: ReplyResult = {
    jobId: record.id,
    state: record.state,
    findings: (result?.findings ?? []).map((f) => ({
      partId: f.partId,
      task: f.task,
      analyser: f.analyser,
      model: f.model,
      promptVersion: f.promptVersion,
      aiGenerated: f.aiGenerated,
      ...(f.classification === undefined
        ? {}
        : { confidence: f.classification.confidence, codes: f.classification.labels }),
      ...(f.extraction === undefined
        ? {}
        : {
            values: f.extraction.values.map((v) => ({
              name: v.field,
              value: v.value,
              ...(v.evidence === null ? {} : { quote: v.evidence.quote, start: v.evidence.start, end: v.evidence.end }),
            })),
          }),
    })),
  };
  if (record.messageId !== undefined) reply.messageId = record.messageId;
  if (record.standard !== undefined) reply.standard = record.standard;
  if (record.version !== undefined) reply.version = record.version;
  if (header?.messageType !== undefined) reply.messageType = header.messageType;
  if (record.reference !== undefined) reply.reference = record.reference;
  if (record.failedReason !== undefined) reply.failedReason = record.failedReason;
  if (result?.warnings !== undefined) reply.warnings = result.warnings;
  return renderResultXml(reply);
}
