import type { Evidence } from '../jobs/finding.js';

/**
 * Grounding: does a quote an analyser gave as evidence really occur in the source text?
 *
 * Language models copy text imperfectly: they collapse line breaks, trim, and swap typographic
 * quotes or dashes for ASCII ones. Those differences do not change what the quote says, so they
 * are folded away before searching. Anything else (other words, other digits) is not folded: a
 * quote that does not occur is exactly what a person must look at.
 */

/** Characters that models routinely exchange for one another; each folds to one ASCII character. */
const FOLD: Readonly<Record<string, string>> = {
  '\u201E': '"', // „
  '\u201C': '"', // “
  '\u201D': '"', // ”
  '\u00AB': '"', // «
  '\u00BB': '"', // »
  '\u2018': "'", // ‘
  '\u2019': "'", // ’
  '\u201A': "'", // ‚
  '\u2013': '-', // –
  '\u2014': '-', // —
  '\u2011': '-', // non-breaking hyphen
};

const WHITESPACE = /\s/u;

interface Normalised {
  /** The folded text with every whitespace run collapsed into one space and no leading/trailing space. */
  text: string;
  /** For each UTF-16 index of `text`, the index of the character in the original it came from. */
  origin: number[];
}

function normalise(input: string): Normalised {
  let text = '';
  const origin: number[] = [];
  let pendingSpace = -1;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charAt(i);
    if (WHITESPACE.test(ch)) {
      if (pendingSpace < 0 && text.length > 0) pendingSpace = i;
      continue;
    }
    if (pendingSpace >= 0) {
      text += ' ';
      origin.push(pendingSpace);
      pendingSpace = -1;
    }
    // Folding is one UTF-16 unit to one, so offsets stay a plain index map.
    text += FOLD[ch] ?? ch;
    origin.push(i);
  }
  return { text, origin };
}

/**
 * Find `quote` in `source`, ignoring differences in whitespace and typographic punctuation.
 *
 * @returns Evidence with `start`/`end` as UTF-16 offsets into the ORIGINAL `source` and `quote` set
 *   to the exact original slice (so `source.slice(start, end) === quote`), or `null` when the quote
 *   is empty or does not occur. The first occurrence wins.
 */
export function groundQuote(source: string, quote: string): Evidence | null {
  const needle = normalise(quote).text;
  if (needle.length === 0) return null;
  const hay = normalise(source);
  const at = hay.text.indexOf(needle);
  if (at < 0) return null;
  const start = hay.origin[at];
  const last = hay.origin[at + needle.length - 1];
  if (start === undefined || last === undefined) return null;
  const end = last + 1;
  return { quote: source.slice(start, end), start, end };
}
