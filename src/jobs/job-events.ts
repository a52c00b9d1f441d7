/** What the bus needs to report a failing sink: a warn method, as pino's loggers have. */
export interface WarnLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/** Who caused an event: a machine client, a person, or the gateway itself. */
export interface Actor {
  kind: 'client' | 'person' | 'system';
  id: string;
}

/**
 * Everything that happens to a job, as facts without message content. The audit trail, metrics
 * and webhooks subscribe to these; the pipeline only emits them.
 */
export type JobEvent =
  | {
      type: 'received';
      jobId: string;
      tenant: string;
      actor: Actor;
      at: string;
      kind: 'message' | 'task';
      standard?: string;
      version?: string;
      messageType?: string;
      messageId?: string;
      duplicate: boolean;
    }
  | { type: 'analysing'; jobId: string; tenant: string; actor: Actor; at: string; attempt: number }
  | {
      type: 'analysed';
      jobId: string;
      tenant: string;
      actor: Actor;
      at: string;
      client?: string;
      usage: { promptTokens: number; completionTokens: number; totalTokens: number };
      findings: {
        partId: string;
        task: string;
        analyser: string;
        provider: string;
        model: string;
        promptVersion: string;
        inputHash: string;
        cached: boolean;
      }[];
      tokens: number;
      review: boolean;
    }
  | {
      type: 'reviewed';
      jobId: string;
      tenant: string;
      actor: Actor;
      at: string;
      decision: 'accept' | 'correct' | 'reject';
    }
  | { type: 'delivering'; jobId: string; tenant: string; actor: Actor; at: string; deliveries: number }
  | {
      type: 'delivered';
      jobId: string;
      tenant: string;
      actor: Actor;
      at: string;
      connector: string;
      deliveryKey: string;
      outcome: 'delivered' | 'skipped' | 'dead_letter';
    }
  | { type: 'done'; jobId: string; tenant: string; actor: Actor; at: string }
  | {
      /** The channel a job came by was answered (FIT-Connect: accept-submission or reject-submission sent). */
      type: 'answered';
      jobId: string;
      tenant: string;
      actor: Actor;
      at: string;
      channel: string;
      answer: 'accept' | 'reject';
      ids: Record<string, string>;
    }
  | { type: 'failed'; jobId: string; tenant: string; actor: Actor; at: string; code: string; final: boolean };

export type JobEventType = JobEvent['type'];

/** Every event type, checked complete by the compiler (a new type without an entry does not build). */
const JOB_EVENT_TYPE_TABLE: Readonly<Record<JobEventType, true>> = {
  received: true,
  analysing: true,
  analysed: true,
  reviewed: true,
  delivering: true,
  delivered: true,
  done: true,
  answered: true,
  failed: true,
};

export function isJobEventType(value: string): value is JobEventType {
  return Object.hasOwn(JOB_EVENT_TYPE_TABLE, value);
}

/**
 * How an event was emitted, beside the event itself (not a fact about the job, so not part of it).
 * `attemptToken`: the analysis attempt that emits it. Sinks that write may fence on it: the audit
 * trail appends the entry only while that attempt still holds the job record, so a worker whose job
 * was taken over cannot add entries to the job's trail.
 */
export interface EmitContext {
  attemptToken?: string;
  /**
   * The event is kept in its job's outbox until every sink has taken it (see job-transition.ts), so
   * it may come again: a sink that writes must take it once (the audit trail appends it only if the
   * trail has no entry of that type and time; notifications are keyed by it in the ledger).
   */
  announced?: boolean;
  /** The outbox relay announces it again: its first announcement did not finish. */
  replay?: boolean;
}

/** A subscriber. Sinks run in registration order and are awaited, so per-job order is kept. */
export type JobEventSink = (event: JobEvent, context: EmitContext) => Promise<void> | void;

export const SYSTEM: Actor = { kind: 'system', id: 'xoev-ai-gateway' };

/**
 * The pipeline's event bus. A failing sink is logged and does not fail the job: the job's own
 * state lives in its record, and a sink (audit, metrics, webhooks) must make itself reliable.
 */
export class JobEvents {
  private readonly sinks: JobEventSink[] = [];

  constructor(private readonly logger?: WarnLogger) {}

  subscribe(sink: JobEventSink): void {
    this.sinks.push(sink);
  }

  /** Runs every sink; true when each took the event (an announced event stays in the outbox otherwise). */
  async emit(event: JobEvent, context: EmitContext = {}): Promise<boolean> {
    let allTook = true;
    for (const sink of this.sinks) {
      try {
        await sink(event, context);
      } catch (error) {
        allTook = false;
        this.logger?.warn(
          {
            err: error instanceof Error ? error.message : 'sink failed',
            event: event.type,
            jobId: event.jobId,
            replay: context.replay === true,
          },
          'job event sink failed',
        );
      }
    }
    return allTook;
  }
}
