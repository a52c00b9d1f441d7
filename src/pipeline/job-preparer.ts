import type { BesideAttachment } from '../jobs/job-record.js';
import { AppError } from '../errors/app-error.js';
import type { InspectedWithTasks } from './task-planner.js';
import type { DocumentReader } from '../documents/document-reader.js';
import type { MessagePart } from '../jobs/message.js';
import type { AnalyseJobData, PlannedTask, PreparedJob, TaskDocument } from '../jobs/job-record.js';

/** What the worker needs from the XÖV layer: the full reading of a message (parts, attachments, profile tasks). */
export interface MessageInspector {
  inspect(body: Buffer, limits?: undefined, beside?: readonly BesideAttachment[]): Promise<InspectedWithTasks>;
}

/** Decides which tasks run on which parts of a message (profiles; default: entity extraction). */
export type TaskPlanner = (message: InspectedWithTasks) => PlannedTask[];

export type JobPreparer = (data: AnalyseJobData) => Promise<PreparedJob>;

/**
 * The text of a task job's document, into its part. A document that cannot be read ends the job
 * (its one part has no text to analyse) with a coded, final reason: XGW_DOCUMENT_TOO_COMPLEX when
 * it exceeded a reading limit, XGW_DOCUMENT_UNREADABLE when it is broken, encrypted or empty.
 */
async function readTaskDocument(
  documents: DocumentReader,
  part: MessagePart,
  document: TaskDocument,
): Promise<MessagePart> {
  const read = await documents.read(Buffer.from(document.contentBase64, 'base64'), document.mimeType);
  const extraction = {
    status: read.status,
    ...(read.detail === undefined ? {} : { detail: read.detail }),
    ...(read.pages === undefined ? {} : { pages: read.pages }),
  };
  if (read.status === 'too_complex') {
    throw new AppError('XGW_DOCUMENT_TOO_COMPLEX', {
      detail: `The document (${read.mimeType}) was not read: ${read.detail ?? 'a reading limit was exceeded'}.`,
    });
  }
  if (read.text === undefined) {
    throw new AppError('XGW_DOCUMENT_UNREADABLE', {
      detail: `No text could be read from the document (${read.mimeType}: ${read.status}${read.detail === undefined ? '' : `, ${read.detail}`}).`,
    });
  }
  return { ...part, mimeType: read.mimeType, text: read.text, extraction };
}

/**
 * Turns a queued job into parts and a task plan. Messages and task documents are read here, in the
 * worker, so that reading attachments and documents (PDF, DOCX, in child processes) never slows
 * down the receive path.
 */
export function createJobPreparer(
  inspector: MessageInspector,
  planner: TaskPlanner,
  documents: DocumentReader,
): JobPreparer {
  return async (data) => {
    if (data.kind === 'task' || data.xmlBase64 === undefined) {
      if (data.parts === undefined || data.plan === undefined)
        throw new AppError('XGW_INTERNAL', { detail: 'task job without parts or plan' });
      const document = data.document;
      const parts =
        document === undefined
          ? data.parts
          : await Promise.all(
              data.parts.map((p) => (p.kind === 'attachment' ? readTaskDocument(documents, p, document) : p)),
            );
      return {
        tenant: data.tenant,
        parts,
        plan: data.plan,
        ...(data.useCase === undefined ? {} : { useCase: { ...data.useCase, jobId: data.jobId } }),
      };
    }
    const inspected = await inspector.inspect(Buffer.from(data.xmlBase64, 'base64'), undefined, data.attachments ?? []);
    const { standard, version, messageType, namespace, header, parts, warnings, records } = inspected;
    return {
      tenant: data.tenant,
      message: {
        standard,
        version,
        messageType,
        namespace,
        header,
        ...(warnings === undefined ? {} : { warnings }),
        ...(records === undefined ? {} : { records }),
      },
      parts,
      plan: planner(inspected),
    };
  };
}
