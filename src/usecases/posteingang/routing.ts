import type { Label } from '../../jobs/finding.js';
import { scoreLabels } from '../../analysis/rules/keyword.classifier.js';
import type { RoutingTable } from './posteingang-rules.js';

/** What the routing table proposes: the unit, its mailbox, and the rule and words that decided. */
export interface RoutingProposal {
  unit: string;
  postfach?: string;
  /** The rule that matched, or `fallback` when none did. */
  rule: string;
  matched: string[];
}

/** An Aktenzeichen that starts as a rule says is a surer sign than a word: its office wrote it. */
const REFERENCE_WEIGHT = 3;
/** Routing rests on the request itself, not on pages of attachments behind it. */
const MAX_ROUTED_CHARS = 20_000;

/**
 * Proposes the responsible unit: every rule whose Anliegen condition holds is scored by its
 * keywords and the unit's name found in the text (the keyword classifier's scoring: compound words,
 * terms shared by several rules count less) and by Aktenzeichen beginnings; the best rule wins, the
 * earlier on a tie; nothing found → the table's fallback (the Poststelle). The rule is named in the
 * result so a person sees why.
 */
export function route(
  table: RoutingTable,
  request: { text: string; anliegen: readonly string[]; references: readonly string[] },
  unitName: (code: string) => string | undefined,
): RoutingProposal {
  const eligible = table.rules.filter(
    (r) => r.anliegen === undefined || r.anliegen.some((a) => request.anliegen.includes(a)),
  );
  const labels: Label[] = eligible.map((r, i) => ({
    code: String(i),
    name: unitName(r.unit) ?? r.unit,
    ...(r.keywords === undefined ? {} : { keywords: r.keywords }),
  }));
  const scores = new Map(
    scoreLabels(labels, request.text.slice(0, MAX_ROUTED_CHARS)).map((s) => [s.label.code, s] as const),
  );
  let best: { index: number; score: number; matched: string[] } | undefined;
  for (const [i, rule] of eligible.entries()) {
    const words = scores.get(String(i));
    const references = [...new Set(request.references)].filter((ref) =>
      (rule.aktenzeichen ?? []).some((prefix) => ref.toLowerCase().startsWith(prefix.toLowerCase())),
    );
    const score = (words?.score ?? 0) + REFERENCE_WEIGHT * references.length;
    if (score > 0 && (best === undefined || score > best.score))
      best = { index: i, score, matched: [...(words?.matched ?? []), ...references] };
  }
  const rule = best === undefined ? undefined : eligible[best.index];
  const unit = rule?.unit ?? table.fallback;
  const postfach = table.postfaecher?.[unit];
  return {
    unit,
    ...(postfach === undefined ? {} : { postfach }),
    rule: rule?.name ?? 'fallback',
    matched: best?.matched ?? [],
  };
}
