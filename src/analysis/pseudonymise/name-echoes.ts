import { entityMatch, type EntityMatch } from '../rules/entity-match.js';

/** Name parts shorter than this (`Li`, `Ng`) would hide ordinary words, so they are not echoed. */
const MIN_PART = 3;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Later mentions of a recognised name without a marker (`… teilte Mustermann mit`). The name
 * recogniser needs `Herr`/`Frau`/a role word; once a name is known, every further whole-word mention
 * of it, or of one of its parts, is personal data too. Full names are echoed before single parts.
 */
export function findNameEchoes(text: string, found: readonly EntityMatch[]): EntityMatch[] {
  const names = found.filter((m) => m.kind === 'person-name');
  const candidates = new Set<string>();
  for (const name of names) {
    candidates.add(name.quote);
    for (const part of name.value.split(/[ \t]+/)) if (part.length >= MIN_PART && /^\p{Lu}/u.test(part)) candidates.add(part);
  }
  const taken: EntityMatch[] = [...found];
  const echoes: EntityMatch[] = [];
  for (const candidate of [...candidates].sort((a, b) => b.length - a.length)) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(candidate)}(?![\\p{L}\\p{N}])`, 'gu');
    for (const m of text.matchAll(pattern)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some((t) => start < t.end && end > t.start)) continue;
      const echo = entityMatch('person-name', text, start, end, m[0].replace(/\s+/g, ' '), 0.6);
      taken.push(echo);
      echoes.push(echo);
    }
  }
  return echoes;
}
