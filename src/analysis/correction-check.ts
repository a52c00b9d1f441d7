import { AppError, type ProblemItem } from '../errors/app-error.js';
import type { JsonSchema, TaskSpec } from '../jobs/finding.js';
import { compileSchema } from '../config/json-schema.js';

/** What a reviewer holds to be right for one finding: labels (classify) or data (extract). */
export interface CorrectionValues {
  labels?: readonly string[];
  data?: Record<string, unknown>;
}

function invalid(detail: string, errors: ProblemItem[]): AppError {
  return new AppError('XGW_REVIEW_CORRECTION_INVALID', { detail, errors });
}

/**
 * Checks a reviewer's correction against the task its finding answers, as strictly as the model's
 * own answer is checked: labels from the closed set only, one label unless the task allows several,
 * at least one; extracted data valid against the task's schema. A correction is delivered as a fact
 * with a person's responsibility (`aiGenerated: false`), so it must not carry what no model could.
 * Throws XGW_REVIEW_CORRECTION_INVALID (422) naming the correction (`where`) and what is wrong.
 */
export function checkCorrection(task: TaskSpec, correction: CorrectionValues, where: string): void {
  if (task.kind === 'classify') {
    const labels = correction.labels;
    if (labels === undefined || labels.length === 0)
      throw invalid('A classify correction needs at least one label.', [
        { message: 'labels required', path: `${where}/labels` },
      ]);
    const known = new Set(task.labels.map((l) => l.code));
    const unknown = labels.map((code, i) => ({ code, i })).filter(({ code }) => !known.has(code));
    if (unknown.length > 0) {
      throw invalid(
        "A correction names labels outside the task's label set.",
        unknown.map(({ i }) => ({ message: 'not a code of the label set', path: `${where}/labels/${i}` })),
      );
    }
    if (new Set(labels).size !== labels.length)
      throw invalid('A correction names a label twice.', [{ message: 'duplicate label', path: `${where}/labels` }]);
    if (task.multi !== true && labels.length > 1)
      throw invalid('The task allows one label; the correction names several.', [
        { message: 'one label only', path: `${where}/labels` },
      ]);
    return;
  }
  if (task.kind === 'summarise')
    throw invalid('A summary is accepted or rejected, not corrected: its sentences must rest on the source.', [
      { message: 'no correction of a summary', path: where },
    ]);
  const data = correction.data;
  if (data === undefined)
    throw invalid('An extract correction needs data.', [{ message: 'data required', path: `${where}/data` }]);
  // `$schema` is dropped as for the model's answers: profiles name draft-07, checked the same way.
  const { $schema: _ignored, ...schema }: JsonSchema = task.schema;
  const validate = compileSchema(schema);
  if (!validate(data)) {
    const errors = (validate.errors ?? [])
      .slice(0, 20)
      .map((e) => ({ message: e.message ?? 'is invalid', path: `${where}/data${e.instancePath}` }));
    throw invalid("The corrected data does not match the task's schema.", errors);
  }
}
