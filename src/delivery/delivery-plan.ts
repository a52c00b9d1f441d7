import type { Delivery } from '../../connectors/connector.js';
import type { Finding } from '../jobs/finding.js';
import type { JobResult } from '../jobs/job-record.js';
import type { LoadedProfile, ProfileDelivery } from '../xoev/profile.js';
import { deliveryKey } from './delivery-key.js';

/** One planned delivery: a fact for a connector instance, with its key. */
export interface PlannedDelivery extends Delivery {
  /** Connector instance name from the connectors file. */
  connector: string;
  /** `fact`: a register entry from findings; `notify`: a webhook or callback about the job. */
  kind: 'fact' | 'notify';
  /** Callback URL of the job (`notify` to a job's own `callbackUrl`, connector `callback`). */
  target?: string;
}

/** What resolving paths needs of a result (also available before analysis: header and parts). */
export type ResultView = Pick<JobResult, 'header' | 'parts' | 'findings' | 'reply'>;

/** The job facts a plan needs besides the result. */
export interface PlanSource {
  jobId: string;
  tenant: string;
  messageId?: string;
  reviewer?: string;
}

function scalar(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  return typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
}

/** A finding's value at `field`: an extract property, or `code`/`name`/`confidence` of a classification. */
function findingValue(finding: Finding, field: string): unknown {
  if (finding.classification !== undefined) {
    const first = finding.classification.labels[0];
    if (field === 'code') return first?.code;
    if (field === 'name') return first?.name;
    if (field === 'codes') return finding.classification.labels.map((l) => l.code);
    if (field === 'confidence') return finding.classification.confidence;
    return undefined;
  }
  const value = finding.extraction?.data[field];
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  return scalar(value);
}

/** `header.a.b` from the nachrichtenkopf. */
function headerValue(result: ResultView, path: string[]): string | number | boolean | undefined {
  let current: unknown = result.header;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = Object.entries(current).find(([k]) => k === segment)?.[1];
  }
  return scalar(current);
}

/**
 * Resolves a delivery path against a result. `<task>.<field>` takes the first finding of that task
 * (in part order) that has a value, so a fact spread over several parts is gathered into one.
 */
export function resolvePath(profile: LoadedProfile | undefined, result: ResultView, path: string): unknown {
  const [head, ...rest] = path.split('.');
  if (head === 'header') return headerValue(result, rest);
  // The decided reply message (`reply.xml`, `reply.messageId`, `reply.messageType`, `reply.createdAt`).
  if (head === 'reply') {
    const reply = result.reply;
    const field = rest[0];
    if (reply === undefined || rest.length !== 1 || field === undefined) return undefined;
    return scalar(Object.entries(reply).find(([k]) => k === field)?.[1]);
  }
  if (profile === undefined || rest.length !== 1 || rest[0] === undefined) return undefined;
  const field = rest[0];
  for (const finding of result.findings) {
    if (finding.name !== head) continue;
    const value = findingValue(finding, field);
    if (value !== undefined) return value;
  }
  return undefined;
}

function provenanceOf(source: PlanSource, findings: Finding[]): Delivery['provenance'] {
  return {
    ...(source.messageId === undefined ? {} : { sourceMessageId: source.messageId }),
    jobId: source.jobId,
    tenant: source.tenant,
    models: [...new Set(findings.map((f) => f.model))],
    promptVersions: [...new Set(findings.map((f) => f.promptVersion))],
    ...(source.reviewer === undefined ? {} : { reviewer: source.reviewer }),
  };
}

function planned(
  source: PlanSource,
  connector: string,
  fact: string,
  subject: string,
  fields: Record<string, unknown>,
  findings: Finding[],
): PlannedDelivery {
  const key = deliveryKey({ connector, subject, fact, sourceId: source.messageId ?? source.jobId });
  return { key, kind: 'fact', connector, fact, subject, fields, provenance: provenanceOf(source, findings) };
}

/**
 * The deliveries of a finished job. With profile `deliveries`: one fact per rule, fields mapped
 * from findings and header. Without (message types lacking a profile, task jobs): when the
 * connectors file names a `defaultDelivery` connector, every finding with values is one fact
 * (`<task>:<part path>`) about the message. A rule whose subject cannot be resolved plans nothing.
 */
export function planDeliveries(
  source: PlanSource,
  result: JobResult,
  profile: LoadedProfile | undefined,
  defaultConnector: string | undefined,
): PlannedDelivery[] {
  const rules: ProfileDelivery[] = profile?.deliveries ?? [];
  if (rules.length > 0) {
    const out: PlannedDelivery[] = [];
    for (const rule of rules) {
      const subject = scalar(resolvePath(profile, result, rule.subject));
      if (subject === undefined) continue;
      const fields: Record<string, unknown> = {};
      for (const [registerField, path] of Object.entries(rule.fields)) {
        const value = resolvePath(profile, result, path);
        if (value !== undefined) fields[registerField] = value;
      }
      const used = result.findings.filter((f) => Object.values(rule.fields).some((p) => p.split('.')[0] === f.name));
      out.push(planned(source, rule.connector, rule.fact, String(subject), fields, used));
    }
    return out;
  }
  if (defaultConnector === undefined) return [];
  const subject = result.header?.messageId ?? source.messageId ?? source.jobId;
  return result.findings.flatMap((f) => {
    const part = result.parts.find((p) => p.id === f.partId);
    const fields: Record<string, unknown> =
      f.classification !== undefined
        ? { codes: f.classification.labels.map((l) => l.code), confidence: f.classification.confidence }
        : { ...(f.extraction?.data ?? {}) };
    const empty = Object.values(fields).every(
      (v) => v === undefined || (Array.isArray(v) && v.length === 0) || v === '',
    );
    return empty
      ? []
      : [planned(source, defaultConnector, `${f.task}:${part?.path ?? f.partId}`, subject, fields, [f])];
  });
}

/** Fields worth delivering: at least one value. */
export function hasValues(fields: Record<string, unknown>): boolean {
  return Object.values(fields).some(
    (v) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0),
  );
}
