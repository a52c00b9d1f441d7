import type { Finding, TaskSpec } from '../jobs/finding.js';

/** Input of one task. */
export interface AnalysisRequest {
  partId: string;
  text: string;
  task: TaskSpec;
  /** Whose data the text is: what is kept about it (the finding cache) is kept per tenant. */
  tenant?: string;
}

/**
 * An analyser runs one task on one part. Implementations must be safe to call concurrently and must
 * not retry on their own: the queue is the one retry layer.
 */
export interface Analyser {
  readonly name: string;
  analyse(request: AnalysisRequest, signal?: AbortSignal): Promise<Finding>;
  close?(): Promise<void>;
}
