import { SETTINGS, type SettingSpec } from './config-schema.js';

export const CONFIG_TABLE_START = '<!-- config-table:start -->';
export const CONFIG_TABLE_END = '<!-- config-table:end -->';

/** The README's configuration table, rendered from the settings table. */
export function renderConfigTable(): string {
  const rows = (Object.values(SETTINGS) as SettingSpec[]).map((s) => {
    const def = s.default === undefined ? '(unset)' : s.secret ? '(secret)' : `\`${s.default}\``;
    const type = s.type === 'enum' ? (s.values ?? []).map((v) => `\`${v}\``).join(' \\| ') : s.type;
    return `| \`${s.env}\` | ${type} | ${def} | ${s.doc.replaceAll('|', '\\|')} |`;
  });
  return ['| variable | type | default | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Replaces what stands between two marker comments of a document with `content`. */
export function replaceBetween(document: string, startMarker: string, endMarker: string, content: string): string {
  const start = document.indexOf(startMarker);
  const end = document.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`the document lacks the markers ${startMarker} … ${endMarker}`);
  return `${document.slice(0, start + startMarker.length)}\n${content}\n${document.slice(end)}`;
}

/** What stands between two marker comments of a document. */
export function textBetween(document: string, startMarker: string, endMarker: string): string {
  return document.slice(document.indexOf(startMarker) + startMarker.length, document.indexOf(endMarker)).trim();
}

export function replaceConfigTable(readme: string, table: string): string {
  return replaceBetween(readme, CONFIG_TABLE_START, CONFIG_TABLE_END, table);
}
