import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../../config/paths.js';
import type { AnalysisRequest } from '../analysis.types.js';
import type { Label, TaskSpec } from '../../jobs/finding.js';

/**
 * Versioned system prompts. A prompt is a file `prompts/<task>.<version>.md`; its file name (without
 * `.md`) is the `promptVersion` recorded in every finding, so a changed prompt is a new file and old
 * findings stay traceable to the exact text they were produced with.
 */

/** The prompt versions this analyser uses, per task kind. */
export const PROMPT_VERSIONS = {
  classify: 'classify.v1',
  extract: 'extract.v1',
  summarise: 'summarise.v1',
} as const satisfies Record<TaskSpec['kind'], string>;

export interface Prompt {
  version: string;
  text: string;
}

/** The repository's `prompts/` folder (same from src/ under tsx/jest and from dist/ when built). */
function findPromptDir(): string {
  return fromRoot('prompts');
}

const loaded = new Map<string, Prompt>();

/** Load a prompt once; read at first use so a missing file fails the task, not the import. */
export function loadPrompt(version: string, promptDir?: string): Prompt {
  const dir = promptDir ?? findPromptDir();
  const key = join(dir, version);
  const hit = loaded.get(key);
  if (hit !== undefined) return hit;
  const prompt = { version, text: readFileSync(join(dir, `${version}.md`), 'utf8').trim() };
  loaded.set(key, prompt);
  return prompt;
}

function labelLine(label: Label): string {
  const words = label.keywords !== undefined && label.keywords.length > 0 ? ` (${label.keywords.join(', ')})` : '';
  return `- ${label.code}: ${label.name}${words}`;
}

/**
 * The user message: task description, then the source text between markers that carry a per-text
 * boundary (derived from the input hash) so the text cannot close its own block. The markers only
 * help the model; safety comes from the output schema and its validation.
 */
export function userMessage(request: AnalysisRequest, inputHash: string): string {
  const boundary = inputHash.slice(0, 16);
  const head: string[] = [];
  if (request.task.kind === 'classify') {
    head.push(
      request.task.multi === true
        ? 'Aufgabe: Ordne den Quelltext allen passenden Labels zu.'
        : 'Aufgabe: Ordne den Quelltext genau einem Label zu.',
    );
    head.push('', 'Erlaubte Labels (code: Bezeichnung):', ...request.task.labels.map(labelLine));
  } else if (request.task.kind === 'summarise') {
    head.push(
      `Aufgabe: Fasse den Quelltext in höchstens ${request.task.maxSentences ?? 3} Sätzen zusammen.`,
      'Belege jeden Satz mit wörtlichen Zitaten aus dem Quelltext (quotes).',
    );
  } else {
    head.push('Aufgabe: Entnimm dem Quelltext die Felder des Antwortschemas.');
  }
  return [...head, '', `<<<SOURCE-${boundary}>>>`, request.text, `<<<END-SOURCE-${boundary}>>>`].join('\n');
}

/**
 * Extra system text for providers without `json_schema` support: the schema goes into the prompt
 * (in `json_object` mode the provider only guarantees *some* JSON) and ajv checks the rest.
 */
export function schemaInstruction(schema: Record<string, unknown>): string {
  return ['Das Antwortobjekt MUSS diesem JSON Schema entsprechen:', '```json', JSON.stringify(schema), '```'].join(
    '\n',
  );
}

/** The follow-up message of the one repair round: what was wrong, without repeating the source. */
export function repairMessage(problems: readonly string[]): string {
  return [
    'Deine Antwort entspricht nicht dem verlangten JSON Schema. Fehler:',
    ...problems.map((p) => `- ${p}`),
    'Antworte erneut, nur mit einem gültigen JSON-Objekt in der verlangten Form.',
  ].join('\n');
}
