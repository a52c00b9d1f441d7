import { AppError } from '../errors/app-error.js';
import type { InspectedWithTasks } from '../analysis/task-planner.js';
import type { AnalyseJobData, PlannedTask, PreparedJob } from './job-record.js';

/** What the worker needs from the XÖV layer: the full reading of a message (parts, attachments, profile tasks). */
export interface MessageInspector {
  inspect(body: Buffer): Promise<InspectedWithTasks>;
}

/** Decides which tasks run on which parts of a message (profiles; default: entity extraction). */
export type TaskPlanner = (message: InspectedWithTasks) => PlannedTask[];

export type JobPreparer = (data: AnalyseJobData) => Promise<PreparedJob>;

/**
 * Turns a queued job into parts and a task plan. Message jobs are read here, in the worker, so that
 * attachment text extraction (PDF, DOCX) never slows down the receive path.
 */
export function createJobPreparer(inspector: MessageInspector, planner: TaskPlanner): JobPreparer {
  return async (data) => {
    if (data.kind === 'task' || data.xmlBase64 === undefined) {
      if (data.parts === undefined || data.plan === undefined) throw new AppError('XGW_INTERNAL', { detail: 'task job without parts or plan' });
      return { tenant: data.tenant, parts: data.parts, plan: data.plan };
    }
    const inspected = await inspector.inspect(Buffer.from(data.xmlBase64, 'base64'));
    const { standard, version, messageType, namespace, header, parts } = inspected;
    return { tenant: data.tenant, message: { standard, version, messageType, namespace, header }, parts, plan: planner(inspected) };
  };
}
