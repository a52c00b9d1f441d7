import type { PreparedJob } from '../jobs/job-record.js';
import type { Logger } from '../observability/logger.js';
import type { ConnectorSet } from './connector-set.js';
import type { ProfileLookup } from './delivery-start.js';
import { resolvePath } from './delivery-plan.js';

/**
 * Once-only for the people asked: where a profile delivery says `skipExtractionIfKnown`, its
 * register is asked before analysis whether it already holds the fact for the subject (a header
 * path, so known before analysis); if so, the tasks feeding only known facts are not run. A lookup
 * that fails costs nothing but the saving: the task runs as usual.
 */
export async function pruneKnownFacts(
  prepared: PreparedJob,
  jobId: string,
  connectors: ConnectorSet,
  profileOf: ProfileLookup,
  logger: Logger,
): Promise<PreparedJob> {
  const m = prepared.message;
  if (m === undefined) return prepared;
  const profile = profileOf(m.standard, m.version, m.messageType);
  const rules = profile?.deliveries ?? [];
  if (profile === undefined || !rules.some((r) => r.skipExtractionIfKnown === true)) return prepared;
  const view = { header: m.header, parts: prepared.parts, findings: [] };
  const known = new Set<string>();
  const needed = new Set<string>();
  for (const rule of rules) {
    const tasks = Object.values(rule.fields)
      .map((p) => p.split('.')[0] ?? '')
      .filter((t) => t !== 'header');
    let isKnown = false;
    const subject = resolvePath(profile, view, rule.subject);
    const connector = connectors.get(rule.connector);
    if (
      rule.skipExtractionIfKnown === true &&
      (typeof subject === 'string' || typeof subject === 'number') &&
      connector?.lookup !== undefined
    ) {
      try {
        isKnown = (await connector.lookup(String(subject), rule.fact)).found;
      } catch (error) {
        logger.warn(
          { jobId: jobId, connector: rule.connector, err: error instanceof Error ? error.message : 'lookup failed' },
          'lookup before analysis failed; analysing as usual',
        );
      }
    }
    for (const t of tasks) (isKnown ? known : needed).add(t);
  }
  const skip = [...known].filter((t) => !needed.has(t));
  if (skip.length === 0) return prepared;
  logger.info({ jobId: jobId, skippedTasks: skip }, 'facts already in the register; not asking again');
  return { ...prepared, plan: prepared.plan.filter((p) => p.name === undefined || !skip.includes(p.name)) };
}
