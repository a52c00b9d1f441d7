import type { InspectedTask } from '../xoev/catalog.js';
import type { CodeList } from '../xoev/code-lists.js';
import type { InspectedMessage } from '../jobs/message.js';
import type { PlannedTask } from '../jobs/job-record.js';
import type { JsonSchema, Label, TaskSpec } from '../jobs/finding.js';
import { DEFAULT_ENTITY_SCHEMA } from '../analysis/rules/entity-schema.js';

/** What the planner needs from the catalog to turn profile tasks into task specs. */
export interface PlannerCatalog {
  codeList(listURI: string): CodeList | undefined;
  extractSchema(standard: string, version: string, messageType: string, taskName: string): JsonSchema | undefined;
}

export type InspectedWithTasks = InspectedMessage & { tasks?: InspectedTask[] };

function labelsOf(list: CodeList): Label[] {
  return list.labels().map((l) => ({ code: l.code, name: l.name, listURI: l.listURI, listVersionID: l.listVersionID }));
}

/** The name of the default task (entity extraction) of a message type without a profile. */
export const DEFAULT_TASK_NAME = 'entities';

/**
 * Decides which tasks run on which part. A message type with a profile gets the profile's tasks
 * (classify against its code list, extract into its schema); without a profile every text part
 * gets the default entity extraction (dates, Aktenzeichen, IBAN, contacts, addresses, names).
 */
export function createTaskPlanner(catalog: PlannerCatalog): (message: InspectedWithTasks) => PlannedTask[] {
  return (message) => {
    const textParts = message.parts.filter((p) => p.text !== undefined && p.text.trim() !== '');
    if (message.tasks === undefined || message.tasks.length === 0) {
      const task: TaskSpec = { kind: 'extract', schema: { ...DEFAULT_ENTITY_SCHEMA } };
      return textParts.map((p) => ({ partId: p.id, task, name: DEFAULT_TASK_NAME }));
    }
    const plan: PlannedTask[] = [];
    const withText = new Set(textParts.map((p) => p.id));
    for (const t of message.tasks) {
      let task: TaskSpec | undefined;
      if (t.kind === 'classify') {
        const list = catalog.codeList(t.codeList);
        if (list !== undefined) task = { kind: 'classify', labels: labelsOf(list) };
      } else {
        const schema = catalog.extractSchema(message.standard, message.version, message.messageType, t.name);
        if (schema !== undefined) task = { kind: 'extract', schema };
      }
      if (task === undefined) continue; // profiles are checked at start-up; nothing to run here
      for (const partId of t.partIds) if (withText.has(partId)) plan.push({ partId, task, name: t.name });
    }
    return plan;
  };
}
