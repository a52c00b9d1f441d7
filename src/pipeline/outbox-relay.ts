import type { Logger } from '../observability/logger.js';
import { isJobEventType, type JobEvent, type JobEvents } from '../jobs/job-events.js';
import type { JobStore, PendingAnnouncement } from '../jobs/job-store.js';

export interface OutboxRelayOptions {
  store: JobStore;
  events: JobEvents;
  logger: Logger;
  /** An announcement this old is taken to be unfinished (its process died or a sink failed). */
  replayAfterMs: number;
  /** Announcements taken per sweep; the next sweep takes the rest. @defaultValue 200 */
  batch?: number;
  /** Told of each announcement made again (metrics). */
  onReplay?: (type: string) => void;
}

export interface OutboxRelay {
  /** One sweep now; resolves to the number of announcements made again. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** The stored JSON back as an event; undefined when it is not one (then it is dropped, with a warning). */
function parseEvent(pending: PendingAnnouncement): JobEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(pending.json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type: unknown = Reflect.get(value, 'type');
  const jobId: unknown = Reflect.get(value, 'jobId');
  const at: unknown = Reflect.get(value, 'at');
  if (
    typeof type !== 'string' ||
    !isJobEventType(type) ||
    type !== pending.type ||
    jobId !== pending.jobId ||
    typeof at !== 'string'
  )
    return undefined;
  // Written by JobStore.update from a typed JobEvent of this type for this job (checked above).
  return value as JobEvent;
}

/**
 * The outbox relay: announces again what a state change wrote into a job's outbox but did not
 * finish announcing (see job-transition.ts), once it is `replayAfterMs` old. It runs in every worker
 * process; a claim in Redis lets only one relay take an announcement at a time. The sinks take a
 * repeated announcement once: the audit trail skips an entry it has, a notification's ledger key
 * is already settled, and metrics do not count replays.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { store, events, logger, replayAfterMs } = options;
  const batch = options.batch ?? 200;
  let running: Promise<number> | undefined;
  let stopped = false;

  const sweepOnce = async (): Promise<number> => {
    let replayed = 0;
    for (const pending of await store.dueAnnouncements(replayAfterMs, batch)) {
      const event = parseEvent(pending);
      if (event === undefined) {
        logger.warn({ jobId: pending.jobId, event: pending.type }, 'outbox entry is not an event; dropped');
        await store.announced(pending.jobId, pending.type);
        continue;
      }
      logger.info(
        { jobId: event.jobId, event: event.type, at: event.at },
        'announcing an unfinished announcement again',
      );
      options.onReplay?.(event.type);
      replayed++;
      if (await events.emit(event, { announced: true, replay: true })) await store.announced(event.jobId, event.type);
    }
    return replayed;
  };

  const sweep = (): Promise<number> => {
    // One sweep at a time per process: a slow sweep (Redis away) is not overtaken by the next tick.
    running ??= sweepOnce().finally(() => (running = undefined));
    return running;
  };

  const interval = Math.min(10_000, Math.max(250, Math.floor(replayAfterMs / 4)));
  const timer = setInterval(() => {
    if (stopped) return;
    sweep().catch((error: unknown) =>
      logger.warn(
        { err: error instanceof Error ? error.message : 'sweep failed' },
        'outbox sweep failed; the next one retries',
      ),
    );
  }, interval);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
