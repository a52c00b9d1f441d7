import type { Classification, Label } from '../../jobs/finding.js';
import { tokenise } from './text-normalise.js';

/** The keyword classifier never claims more certainty than keywords can give. */
const MAX_CONFIDENCE = 0.95;
/** A label term counts as found inside a compound word only if it is at least this long (`bau` in `Bauantrag` is not). */
const MIN_COMPOUND_PART = 5;
/** Credit for a term found only as part of a compound word (`Widerspruch` in `Widerspruchsverfahren`). */
const COMPOUND_WEIGHT = 0.7;
/** The label's own name in the text says more than one of its keywords. */
const NAME_WEIGHT = 1.5;
/**
 * Credit for how much of a label's name the text holds, squared so a whole name counts most: of a
 * code list with `Lageplan` and `Lageplan mit Eintragung der Baulast`, a text "Lageplan 1:500" is
 * the first. Without it, a term shared by many labels (and so worth little each) lost to any rarer
 * word of a long label (`Maßstab` in `Zeichnungen im Maßstab 1:50`).
 */
const COVERAGE_WEIGHT = 1.5;
/** Name words shorter than this (`EG`, `OG`) are abbreviations of too many things to decide a label. */
const MIN_NAME_TERM = 3;

/** One label's terms: each keyword phrase (and the name's words) is a term of one or more keys. */
interface LabelTerm {
  readonly display: string;
  readonly keys: readonly string[];
  readonly weight: number;
  /** A word of the label's name (for the coverage credit), not a keyword. */
  readonly name: boolean;
}

/** Score of one label for one text, with what matched so that a rationale can name it. */
export interface LabelScore {
  readonly label: Label;
  readonly score: number;
  readonly matched: readonly string[];
}

function termsOf(label: Label): LabelTerm[] {
  const terms: LabelTerm[] = tokenise(label.name)
    .filter((t) => t.key.length >= MIN_NAME_TERM)
    .map((t) => ({ display: t.word, keys: [t.key], weight: NAME_WEIGHT, name: true }));
  for (const keyword of label.keywords ?? []) {
    const keys = tokenise(keyword).map((t) => t.key);
    if (keys.length > 0) terms.push({ display: keyword, keys, weight: 1, name: false });
  }
  const seen = new Set<string>();
  return terms.filter((t) => {
    const id = t.keys.join(' ');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The text's words, and the beginnings and ends of its longer words that a label key could be. */
interface TextKeys {
  readonly words: ReadonlySet<string>;
  /** `start:<piece>` and `end:<piece>` for every piece of a label key's length cut from a longer word. */
  readonly pieces: ReadonlySet<string>;
}

/**
 * Indexes the text once for the key lengths the labels have, so that finding a key inside a compound
 * word is one lookup. Testing every key against every word instead grew with labels × words.
 */
function indexText(text: string, keyLengths: ReadonlySet<number>): TextKeys {
  const words = new Set(tokenise(text).map((t) => t.key));
  const pieces = new Set<string>();
  for (const word of words) {
    for (const length of keyLengths) {
      if (length >= word.length) continue;
      pieces.add(`start:${word.slice(0, length)}`);
      pieces.add(`end:${word.slice(word.length - length)}`);
    }
  }
  return { words, pieces };
}

/** 1 when the key is a word of the text, 0.7 when it is part of a compound word, 0 otherwise. */
function keyWeight(key: string, text: TextKeys): number {
  if (text.words.has(key)) return 1;
  if (key.length < MIN_COMPOUND_PART) return 0;
  return text.pieces.has(`start:${key}`) || text.pieces.has(`end:${key}`) ? COMPOUND_WEIGHT : 0;
}

/**
 * Scores every label by the terms of its name and keywords found in the text. A term that several
 * labels share counts less (divided by how many labels have it), so `Antrag` does not decide between
 * `Bauantrag` and `Antrag auf Vorbescheid`. Ties keep the order of the label list: deterministic.
 */
export function scoreLabels(labels: readonly Label[], text: string): LabelScore[] {
  const termsByLabel = labels.map(termsOf);
  const keyLengths = new Set(
    termsByLabel
      .flatMap((terms) => terms.flatMap((t) => t.keys.map((k) => k.length)))
      .filter((l) => l >= MIN_COMPOUND_PART),
  );
  const textKeys = indexText(text, keyLengths);
  const labelsPerKey = new Map<string, number>();
  for (const terms of termsByLabel) {
    for (const key of new Set(terms.flatMap((t) => t.keys))) labelsPerKey.set(key, (labelsPerKey.get(key) ?? 0) + 1);
  }
  const scores = labels.map((label, i): LabelScore => {
    let score = 0;
    const matched: string[] = [];
    const terms = termsByLabel[i] ?? [];
    let nameTerms = 0;
    let nameFound = 0;
    for (const term of terms) {
      if (term.name) nameTerms++;
      const weights = term.keys.map((k) => keyWeight(k, textKeys) / (labelsPerKey.get(k) ?? 1));
      if (weights.some((w) => w === 0)) continue;
      score += term.weight * Math.min(...weights);
      if (term.name) nameFound++;
      matched.push(term.display);
    }
    if (nameFound > 0) score += COVERAGE_WEIGHT * (nameFound / nameTerms) ** 2;
    return { label, score, matched };
  });
  return scores
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.score - a.s.score || a.i - b.i)
    .map(({ s }) => s);
}

/** Turns accumulated evidence into a probability-like value: one clear hit ≈ 0.4, three ≈ 0.78. */
function strength(score: number): number {
  return 1 - Math.exp(-score / 2);
}

function rationale(chosen: readonly LabelScore[]): string {
  if (chosen.length === 0) return 'Kein Begriff eines Labels im Text gefunden.';
  return chosen.map((c) => `${c.label.code} (${c.label.name}): ${c.matched.join(', ')}`).join('; ');
}

/**
 * Picks the best label (or, with `multi`, every label scoring at least half the best). Confidence is
 * the evidence strength of the weakest chosen label, lowered when the next label scores almost as
 * well: a near tie is not a confident decision. No matching term → no label, confidence 0.
 */
export function classifyByKeywords(labels: readonly Label[], text: string, multi = false): Classification {
  const ranked = scoreLabels(labels, text);
  const best = ranked[0];
  if (best === undefined || best.score === 0) return { labels: [], confidence: 0, rationale: rationale([]) };
  const chosen = multi ? ranked.filter((r) => r.score > 0 && r.score >= best.score / 2) : [best];
  const weakest = chosen[chosen.length - 1] ?? best;
  const runnerUp = ranked[chosen.length]?.score ?? 0;
  const margin = (weakest.score - runnerUp) / weakest.score;
  const confidence = Math.min(MAX_CONFIDENCE, strength(weakest.score) * (0.5 + 0.5 * margin));
  return {
    labels: chosen.map((c) => c.label),
    confidence: Math.round(confidence * 1000) / 1000,
    rationale: `Gefundene Begriffe – ${rationale(chosen)}`,
  };
}
