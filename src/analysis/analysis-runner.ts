import type { Analyser } from './analysis.types.js';
import type { Finding, TokenUsage } from '../jobs/finding.js';
import type { JobResult, PreparedJob } from '../jobs/job-record.js';

/**
 * Runs a job's task plan: one task per planned part, through the analyser, into one result.
 * Errors propagate unchanged so the queue decides about retries (one retry layer).
 */
export class AnalysisRunner {
  /**
   * @param parallelism tasks of one job in flight at once; the provider limiter still caps calls
   *   per provider, this only keeps a many-part message from waiting on its parts one by one.
   */
  constructor(
    private readonly analyser: Analyser,
    private readonly parallelism = 4,
  ) {}

  async run(data: PreparedJob, signal?: AbortSignal): Promise<JobResult> {
    const partsById = new Map(data.parts.map((p) => [p.id, p]));
    const requests = data.plan.flatMap((planned) => {
      const part = partsById.get(planned.partId);
      return part?.text === undefined || part.text.trim() === ''
        ? []
        : [
            {
              request: {
                partId: part.id,
                text: part.text,
                task: planned.task,
                ...(data.tenant === undefined ? {} : { tenant: data.tenant }),
              },
              name: planned.name,
            },
          ];
    });
    const findings: Finding[] = new Array<Finding>(requests.length);
    let next = 0;
    let failed = false;
    const lane = async (): Promise<void> => {
      // After one task failed the attempt is lost anyway: start no further calls. Findings that
      // did succeed are in the cache, so the queue's retry does not pay for them twice.
      while (!failed && next < requests.length) {
        signal?.throwIfAborted();
        const index = next++;
        const planned = requests[index];
        if (planned === undefined) continue;
        try {
          // The task's name travels with its finding, so two tasks of one kind stay apart.
          findings[index] = { ...(await this.analyser.analyse(planned.request, signal)), name: planned.name };
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: Math.min(this.parallelism, requests.length) }, lane),
    );
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected !== undefined) throw rejected.reason;
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    for (const f of findings) {
      usage.promptTokens += f.usage?.promptTokens ?? 0;
      usage.completionTokens += f.usage?.completionTokens ?? 0;
      usage.totalTokens += f.usage?.totalTokens ?? 0;
    }
    const reviewReasons = [
      ...new Set(findings.flatMap((f) => f.reviewReasons.map((r) => `${f.partId}:${f.task}:${r}`))),
    ];
    const result: JobResult = { parts: data.parts, findings, usage, reviewReasons };
    if (data.message !== undefined) {
      const { standard, version, messageType, namespace, header, warnings } = data.message;
      Object.assign(result, { standard, version, messageType, namespace, header });
      if (warnings !== undefined) result.warnings = warnings;
    }
    if (data.useCase !== undefined) result.useCase = { name: data.useCase.name, eingang: data.useCase.eingang };
    return result;
  }
}
