import { lookup } from '../reply-template.js';

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/**
 * Fills a plain-text letter template: `{{path}}` is the value at a dotted path of the context. A
 * line whose placeholders are all empty is left out (no "Ihr Zeichen:" without a Zeichen), so one
 * template serves requests with and without Aktenzeichen, deadline or amount.
 */
export function renderLetter(template: string, context: Readonly<Record<string, unknown>>): string {
  const lines: string[] = [];
  for (const line of template.split(/\r?\n/)) {
    let placeholders = 0;
    let filled = 0;
    const out = line.replace(PLACEHOLDER, (_m, path: string) => {
      placeholders++;
      const v = lookup(context, path);
      const s = v === undefined || v === null ? '' : String(v);
      if (s.trim() !== '') filled++;
      return s;
    });
    if (placeholders > 0 && filled === 0) continue;
    lines.push(out);
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
