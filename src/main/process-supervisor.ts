import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../observability/logger.js';

/** What a gateway child tells its supervisor once it serves (API listening, or workers running). */
export const READY_MESSAGE = 'xgw:ready';

/** At most this many unplanned restarts within a minute; more means the children cannot start. */
const MAX_RESTARTS_PER_MINUTE = 10;

/**
 * `PROCESSES=N`: N gateway processes of one ROLE on one host, so that every core is used (node:cluster:
 * API children share the listening port, the primary hands connections round-robin). A child that
 * dies is replaced; SIGHUP replaces them one by one, each new one ready before its old one stops
 * (no gap); SIGTERM/SIGINT stop them all gracefully (each finishes its in-flight work) and end the
 * primary. Resolves when the primary should exit, with its exit code.
 */
export function superviseProcesses(count: number, logger: Logger): Promise<number> {
  const children = new Set<Worker>();
  const restarts: number[] = [];
  let stopping = false;
  let rolling = false;
  /** True once the first start has every child serving; a SIGHUP before that waits for it. */
  let started = false;
  let restartWhenStarted = false;

  /** True when one more unplanned restart stays within the budget (counts it). */
  const mayRestart = (): boolean => {
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] ?? now) < now - 60_000) restarts.shift();
    return restarts.length <= MAX_RESTARTS_PER_MINUTE;
  };

  /**
   * Starts one child; resolves when a process for this place serves. A child killed by a signal
   * (the OOM killer, an operator) is replaced, also while it was starting: then the promise follows
   * its replacement. A child that exits by itself before it served cannot start (configuration,
   * port): at the first start (`replacing` false) the promise rejects and nothing is replaced, since
   * every replacement would fail alike; a replacement that cannot start is tried again within the
   * restart budget (Redis may be back), and when the budget is spent every process stops (exit 1).
   */
  const fork = (replacing = false): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const child = cluster.fork();
      children.add(child);
      let serving = false;
      child.on('message', (message: unknown) => {
        if (message !== READY_MESSAGE || serving) return;
        serving = true;
        resolve(child);
      });
      child.once('exit', (code, signal) => {
        children.delete(child);
        if (stopping || child.exitedAfterDisconnect) {
          if (!serving) reject(new Error('stopped before it served'));
          return;
        }
        if (!serving && signal === null && !replacing) {
          reject(new Error(`a gateway process exited at start (${code})`));
          return;
        }
        if (!mayRestart()) {
          logger.error({ restarts: restarts.length }, 'gateway processes keep dying; giving up');
          if (!serving) reject(new Error('gateway processes keep dying'));
          void stopAll().then(() => done(1));
          return;
        }
        logger.warn({ pid: child.process.pid, code, signal }, 'a gateway process died; starting another');
        const replacement = fork(true);
        if (!serving) replacement.then(resolve, reject);
        else
          replacement.catch((error: unknown) =>
            logger.error({ err: error instanceof Error ? error.message : 'error' }, 'replacement did not start'),
          );
      });
    });

  /** Ends one child gracefully (SIGTERM: it finishes in-flight work), resolving when it exited. */
  const retire = (child: Worker): Promise<void> =>
    new Promise((resolve) => {
      if (child.isDead()) return resolve();
      child.once('exit', () => resolve());
      // Planned: its exit is not a death to replace.
      child.exitedAfterDisconnect = true;
      child.process.kill('SIGTERM');
    });

  const stopAll = async (): Promise<void> => {
    stopping = true;
    await Promise.all([...children].map(retire));
  };

  let done: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    done = resolve;
  });

  const rollingRestart = async (): Promise<void> => {
    // Not before the first start is complete (a child still starting would be retired half-way):
    // then it runs once the start is.
    if (!started) {
      restartWhenStarted = true;
      return;
    }
    if (rolling || stopping) return;
    rolling = true;
    logger.info({ processes: children.size }, 'SIGHUP: replacing the gateway processes one by one');
    try {
      for (const old of [...children]) {
        if (stopping) break;
        await fork();
        await retire(old);
      }
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : 'error' }, 'rolling restart stopped');
    } finally {
      rolling = false;
    }
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () => {
      if (stopping) return;
      logger.info({ signal }, 'stopping every gateway process');
      void stopAll().then(() => done(0));
    });
  process.on('SIGHUP', () => void rollingRestart());

  void Promise.all(Array.from({ length: count }, () => fork())).then(
    (ready) => {
      started = true;
      logger.info({ processes: ready.length, pids: ready.map((c) => c.process.pid) }, 'gateway processes ready');
      if (restartWhenStarted) void rollingRestart();
    },
    (error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : 'error' }, 'gateway processes did not start');
      void stopAll().then(() => done(1));
    },
  );
  return finished;
}
