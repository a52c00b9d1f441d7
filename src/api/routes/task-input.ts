import { AppError } from '../../errors/app-error.js';
import type { JsonSchema, Label, TaskSpec } from '../../jobs/finding.js';
import { checkExtractSchema, checkLabels } from '../../analysis/task-spec-check.js';
import type { TaskInput } from '../../pipeline/intake.js';
import { urlShapeRefusal, type OutboundPolicy } from '../../security/outbound-policy.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bad(detail: string, path: string): AppError {
  return new AppError('XGW_REQ_VALIDATION', { detail, errors: [{ message: detail, path }] });
}

function toLabel(value: unknown, i: number): Label {
  if (!isRecord(value) || typeof value.code !== 'string' || typeof value.name !== 'string')
    throw bad('a label needs code and name', `/labels/${i}`);
  const label: Label = { code: value.code, name: value.name };
  const listURI = str(value.listURI);
  const listVersionID = str(value.listVersionID);
  if (listURI !== undefined) label.listURI = listURI;
  if (listVersionID !== undefined) label.listVersionID = listVersionID;
  if (Array.isArray(value.keywords)) label.keywords = value.keywords.filter((k): k is string => typeof k === 'string');
  return label;
}

/**
 * A contact form's fields as the text a person would read: one `name: value` line per field, in
 * the order sent, line breaks inside a value kept (a Nachricht has paragraphs).
 */
function formText(form: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(form)) {
    if (typeof value !== 'string')
      throw bad('form values are strings', `/form/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    lines.push(`${name.replace(/[\r\n]+/g, ' ')}: ${value}`);
  }
  const text = lines.join('\n');
  if (text.trim() === '') throw bad('the form is empty', '/form');
  return text;
}

/**
 * The body of POST /v1/jobs as a typed task. The OpenAPI validator has checked the shape; this
 * adds the rules JSON Schema cannot say (classify needs labels, extract a compilable object schema
 * within limits, a callback URL the gateway may call).
 */
export function toTaskInput(body: unknown, outbound: OutboundPolicy): TaskInput {
  if (!isRecord(body)) throw bad('the body must be a JSON object', '/');
  const threshold =
    typeof body.confidenceThreshold === 'number' ? { confidenceThreshold: body.confidenceThreshold } : {};
  let task: TaskSpec | undefined;
  const profile = str(body.profile);
  if (profile !== undefined) {
    if (body.task !== undefined) throw bad('send either a task or a profile', '/task');
  } else if (body.task === 'classify') {
    if (!Array.isArray(body.labels) || body.labels.length === 0) throw bad('a classify task needs labels', '/labels');
    const labels = body.labels.map(toLabel);
    checkLabels(labels);
    task = { kind: 'classify', labels, multi: body.multi === true, ...threshold };
  } else if (body.task === 'extract') {
    if (!isRecord(body.schema)) throw bad('an extract task needs a JSON Schema', '/schema');
    const schema: JsonSchema = body.schema;
    checkExtractSchema(schema);
    task = { kind: 'extract', schema, ...threshold };
  } else if (body.task === 'summarise') {
    task = {
      kind: 'summarise',
      ...(typeof body.maxSentences === 'number' ? { maxSentences: body.maxSentences } : {}),
      ...threshold,
    };
  } else {
    throw bad('task must be classify, extract or summarise (or send a profile)', '/task');
  }
  const input: TaskInput = task === undefined ? {} : { task };
  if (profile !== undefined) {
    const receivedAt = str(body.receivedAt);
    // A calendar date that exists (no 30 February): deadlines are computed from it.
    const day = receivedAt === undefined ? undefined : new Date(`${receivedAt}T00:00:00Z`);
    if (day !== undefined && (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== receivedAt))
      throw bad('receivedAt is not a calendar date (YYYY-MM-DD)', '/receivedAt');
    input.useCase = { name: profile, ...(receivedAt === undefined ? {} : { eingang: receivedAt }) };
  } else if (body.receivedAt !== undefined) throw bad('receivedAt belongs to a profile', '/receivedAt');
  const text = str(body.text);
  if (text !== undefined) input.text = text;
  if (isRecord(body.form)) {
    if (input.text !== undefined) throw bad('send either text or form', '/form');
    input.text = formText(body.form);
  }
  if (isRecord(body.document)) {
    const contentBase64 = str(body.document.contentBase64);
    if (contentBase64 === undefined) throw bad('document.contentBase64 is required', '/document/contentBase64');
    const mimeType = str(body.document.mimeType);
    const fileName = str(body.document.fileName);
    input.document = {
      contentBase64,
      ...(mimeType === undefined ? {} : { mimeType }),
      ...(fileName === undefined ? {} : { fileName }),
    };
  }
  if ((input.text === undefined) === (input.document === undefined))
    throw bad('send one of text, form or document', '/');
  const callbackUrl = str(body.callbackUrl);
  if (callbackUrl !== undefined) {
    // Refused now rather than failing at delivery (a `file:` callback stayed `delivering` for good).
    const refusal = urlShapeRefusal(callbackUrl, outbound);
    if (refusal !== undefined) throw bad(`callbackUrl: ${refusal}.`, '/callbackUrl');
    input.callbackUrl = callbackUrl;
  }
  const reference = str(body.reference);
  if (reference !== undefined) input.reference = reference;
  return input;
}
