import type { Analyser, Finding, TokenUsage } from './analysis.types.js';
import type { JobResult, PreparedJob } from '../pipeline/job-record.js';

/**
 * Runs a job's task plan: one task per planned part, through the analyser, into one result.
 * Errors propagate unchanged so the queue decides about retries (one retry layer).
 */
export class AnalysisRunner {
  constructor(private readonly analyser: Analyser) {}

  async run(data: PreparedJob, signal?: AbortSignal): Promise<JobResult> {
    const partsById = new Map(data.parts.map((p) => [p.id, p]));
    const findings: Finding[] = [];
    for (const planned of data.plan) {
      signal?.throwIfAborted();
      const part = partsById.get(planned.partId);
      if (part?.text === undefined || part.text.trim() === '') continue;
      findings.push(await this.analyser.analyse({ partId: part.id, text: part.text, task: planned.task }, signal));
    }
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    for (const f of findings) {
      usage.promptTokens += f.usage?.promptTokens ?? 0;
      usage.completionTokens += f.usage?.completionTokens ?? 0;
      usage.totalTokens += f.usage?.totalTokens ?? 0;
    }
    const reviewReasons = [...new Set(findings.flatMap((f) => f.reviewReasons.map((r) => `${f.partId}:${f.task}:${r}`)))];
    const result: JobResult = { parts: data.parts, findings, usage, reviewReasons };
    if (data.message !== undefined) {
      const { standard, version, messageType, namespace, header } = data.message;
      Object.assign(result, { standard, version, messageType, namespace, header });
    }
    return result;
  }
}
