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

export function replaceConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START);
  const end = readme.indexOf(CONFIG_TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md lacks the config-table markers');
  return readme.slice(0, start + CONFIG_TABLE_START.length) + '\n' + table + '\n' + readme.slice(end);
}
