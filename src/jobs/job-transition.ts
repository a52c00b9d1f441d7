import type { EmitContext, JobEvent, JobEvents } from './job-events.js';
import type { JobMoveName } from './job-moves.js';
import type { JobRecord } from './job-record.js';
import type { AttemptFence, JobStore } from './job-store.js';

/** A state change of a job record: a named move of the state table, what it writes besides the state, its fence. */
export interface JobMove {
  move: JobMoveName;
  patch?: Partial<Omit<JobRecord, 'id' | 'state'>>;
  fence?: AttemptFence;
}

/**
 * Moves a job and announces the move, so that the announcement cannot be lost: the event is written
 * into the job's outbox in the same script as the state change, emitted, and taken out of the
 * outbox only once every sink took it. A process that dies in between, or a sink that fails (Redis
 * away, the deliver queue not writable), leaves it in the outbox, and the outbox relay of a worker
 * announces it again (outbox-relay.ts). Before, a SIGKILL between the `done` write and its webhook
 * enqueue lost the webhook: the retried job found the job done and could not tell.
 * Returns false when the move did not happen (another state, another attempt): nothing is announced.
 */
export async function moveAndAnnounce(
  store: JobStore,
  events: JobEvents,
  move: JobMove,
  event: JobEvent,
  context: EmitContext = {},
): Promise<boolean> {
  if (!(await store.move(event.jobId, move.move, move.patch ?? {}, move.fence ?? {}, { announce: event })))
    return false;
  if (await events.emit(event, { ...context, announced: true })) {
    // If this fails too (Redis away), the relay announces once more; every sink takes it once.
    await store.announced(event.jobId, event.type).catch(() => undefined);
  }
  return true;
}
