import { entityMatch, type EntityMatch } from '../entity-match.js';
import { SpanSet } from '../span-set.js';

/** Name parts shorter than this (`Li`, `Ng`) would hide ordinary words, so they are not echoed. */
const MIN_PART = 3;

/** Words (letters and digits) and single other characters; blanks separate and are not tokens. */
const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** A trie over the token sequences of the known names: one walk per text position finds the longest. */
interface TrieNode {
  readonly next: Map<string, TrieNode>;
  /** A whole known name ends here. */
  name: boolean;
}

function node(): TrieNode {
  return { next: new Map(), name: false };
}

function tokens(text: string): { token: string; start: number; end: number }[] {
  return [...text.matchAll(TOKEN)].map((m) => ({ token: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Later mentions of a recognised name without a marker (`… teilte Mustermann mit`). The name
 * recogniser needs `Herr`/`Frau`/a role word; once a name is known, every further whole-word mention
 * of it, or of one of its parts, is personal data too. At each position the longest known name wins,
 * so `Max Mustermann` is one echo rather than two. The text is tokenised once and every position
 * walks a trie of the names: linear in the text, however many names it holds (a regular expression
 * per name, run over the whole text, was quadratic for a text full of names).
 */
export function findNameEchoes(text: string, found: readonly EntityMatch[]): EntityMatch[] {
  const root = node();
  let longest = 0;
  for (const name of found) {
    if (name.kind !== 'person-name') continue;
    const forms = [
      name.quote,
      ...name.value.split(/[ \t]+/).filter((part) => part.length >= MIN_PART && /^\p{Lu}/u.test(part)),
    ];
    for (const form of forms) {
      const sequence = tokens(form).map((t) => t.token);
      if (sequence.length === 0) continue;
      let at = root;
      for (const t of sequence) {
        const child = at.next.get(t) ?? node();
        at.next.set(t, child);
        at = child;
      }
      at.name = true;
      longest = Math.max(longest, sequence.length);
    }
  }
  if (longest === 0) return [];
  const taken = new SpanSet(text.length);
  for (const m of found) taken.add(m.start, m.end);
  const words = tokens(text);
  const echoes: EntityMatch[] = [];
  for (let i = 0; i < words.length; i++) {
    let at: TrieNode | undefined = root;
    let end = -1;
    for (let j = i; j < words.length && j - i < longest; j++) {
      const word = words[j];
      // Tokens of one name are separated by blanks at most, never by a line of other text.
      if (word === undefined || (j > i && !/^[ \t]*$/.test(text.slice(words[j - 1]?.end ?? 0, word.start)))) break;
      at = at.next.get(word.token);
      if (at === undefined) break;
      if (at.name) end = j;
    }
    const first = words[i];
    const last = words[end];
    if (end < 0 || first === undefined || last === undefined || !/^[\p{L}\p{N}]/u.test(first.token)) continue;
    if (!taken.tryAdd(first.start, last.end)) continue;
    echoes.push(
      entityMatch(
        'person-name',
        text,
        first.start,
        last.end,
        text.slice(first.start, last.end).replace(/\s+/g, ' '),
        0.6,
      ),
    );
    i = end;
  }
  return echoes;
}
