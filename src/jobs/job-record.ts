import type { Finding, TaskSpec, TokenUsage } from './finding.js';
import type { JobState } from './job-moves.js';
import type { InspectedMessage, MessagePart } from './message.js';
import type { ReplyMessage, ReplyProposal } from './reply-proposal.js';

/**
 * The record field naming the analysis attempt (or review decision) that holds the job; every
 * fenced write checks it (JobStore). Internal: not part of JobRecord, never shown to callers.
 */
export const ATTEMPT_TOKEN_FIELD = 'attemptToken';

/** A document sent with a task job (POST /v1/jobs), as the caller sent it. */
export interface TaskDocument {
  contentBase64: string;
  mimeType?: string;
  fileName?: string;
}

/**
 * A use case a task job runs (Posteingang): its name and the day the request was received, from
 * which its deadlines run.
 */
export interface UseCaseRun {
  name: string;
  /** ISO date of receipt, the authority's calendar. */
  eingang: string;
}

/** A file sent beside a message, named as the message lists it. */
export interface BesideAttachment {
  fileName: string;
  mimeType?: string;
  contentBase64: string;
}

/** One task planned for one part; the worker runs the plan. */
export interface PlannedTask {
  partId: string;
  task: TaskSpec;
  /**
   * The task's name: a profile's task name (`vorhaben`, `anlageart`), `entities` for a message type
   * without a profile, the task kind for a task job. Findings carry it; delivery maps facts by it.
   */
  name: string;
}

/**
 * What a worker needs to analyse a job; stored as the BullMQ job's data. A message job carries its
 * raw bytes (XSD-valid, checked on receipt): reading the header, parts and attachment text is the
 * worker's work, so the receive path stays fast. A task job (POST /v1/jobs) carries its parts
 * and plan directly.
 */
export interface AnalyseJobData {
  jobId: string;
  tenant: string;
  /** Submitting client (API key or token subject), for token accounting. */
  client?: string;
  kind: 'message' | 'task';
  /** The message as received, base64 (bytes, so any declared encoding survives). */
  xmlBase64?: string;
  /**
   * Attachments that came beside a message (multipart `POST /v1/messages`), as received: the
   * worker reads each where the message lists its file name (XBau `anlage` … `dateiname`).
   */
  attachments?: BesideAttachment[];
  /** A task job's document as received: read by the worker, like a message's attachments. */
  document?: TaskDocument;
  parts?: MessagePart[];
  plan?: PlannedTask[];
  /** The use case a task job runs (its findings become a proposal a person decides). */
  useCase?: UseCaseRun;
  receivedAt: string;
}

/** Parts and task plan of a job, ready to run. */
export interface PreparedJob {
  /** Whose job: what the analysis keeps (the finding cache) is kept per tenant. */
  tenant?: string;
  message?: Omit<InspectedMessage, 'parts'>;
  parts: MessagePart[];
  plan: PlannedTask[];
  /** The use case of a task job, with its job id (the Vorgang its letter names). */
  useCase?: UseCaseRun & { jobId: string };
}

/**
 * The planned task a finding answers (its label set or schema), if the job still holds its plan:
 * same part and kind, and the same task name where the finding names one.
 */
export function plannedTaskOf(
  record: { plan?: readonly PlannedTask[] },
  finding: { partId: string; task: TaskSpec['kind']; name?: string },
): PlannedTask | undefined {
  return record.plan?.find(
    (p) =>
      p.partId === finding.partId &&
      p.task.kind === finding.task &&
      (finding.name === undefined || p.name === finding.name),
  );
}

/** The structured result of a finished analysis. */
export interface JobResult {
  standard?: string;
  version?: string;
  messageType?: string;
  namespace?: string;
  header?: InspectedMessage['header'];
  /** What the sender should know about the message (e.g. header and root disagree on the message type). */
  warnings?: InspectedMessage['warnings'];
  parts: MessagePart[];
  findings: Finding[];
  usage: TokenUsage;
  /** Why a person must decide before the result counts (empty when none). */
  reviewReasons: string[];
  /** The use case the job ran (Posteingang), so its reply is built as that use case builds it. */
  useCase?: UseCaseRun;
  /** What the profile's check proposes to answer (Befunde of a formal check, appraisals); a person decides. */
  proposal?: ReplyProposal;
  /** The reply in the standard's own message type, once decided (GET /v1/jobs/{id}/reply). */
  reply?: ReplyMessage;
}

/** The job resource as stored and as returned by GET /v1/jobs/{id}. */
export interface JobRecord {
  id: string;
  tenant: string;
  kind: 'message' | 'task';
  state: JobState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  standard?: string;
  version?: string;
  messageType?: string;
  messageId?: string;
  idempotencyKey?: string;
  /** Client that submitted the job (API key name or token subject); for token accounting. */
  client?: string;
  /** Where the submitter wants to be called back when the job changes state. */
  callbackUrl?: string;
  /** Free reference of the submitter (e.g. a bot's case id), echoed back. */
  reference?: string;
  /** The channel a message came by, when not the API itself (`fit-connect`, with its ids). */
  source?: { channel: string; ids: Record<string, string> };
  failedReason?: { code: string; detail: string };
  result?: JobResult;
  /**
   * Internal, never shown: the tasks the findings answer (label sets, schemas), kept with a job in
   * review so that a reviewer's corrections are checked against them.
   */
  plan?: PlannedTask[];
}
