import type { Analyser, AnalysisRequest } from './analysis.types.js';
import type { Evidence, ExtractedValue, Finding, Label } from '../jobs/finding.js';
import { groundQuote } from './grounding.js';
import { pseudonymise, restore, restoreEvidence, type PseudonymMapping } from './pseudonymise/index.js';
import { hashText } from './text-hash.js';
import { UNGROUNDED_OFFSET } from './structured/interpret.js';

function restoreDeep(value: unknown, mapping: PseudonymMapping): unknown {
  if (typeof value === 'string') return restore(value, mapping);
  if (Array.isArray(value)) return value.map((v) => restoreDeep(v, mapping));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restoreDeep(v, mapping)]));
  return value;
}

function restoreValue(v: ExtractedValue, mapping: PseudonymMapping, original: string): ExtractedValue {
  const value = typeof v.value === 'string' ? restore(v.value, mapping) : v.value;
  if (v.evidence === null) return { ...v, value };
  let evidence: Evidence = v.grounded
    ? restoreEvidence(v.evidence, mapping, original)
    : { ...v.evidence, quote: restore(v.evidence.quote, mapping) };
  // Ground again on the original: a restored quote must be found in what the sender wrote.
  const grounded = groundQuote(original, evidence.quote);
  if (grounded !== null) evidence = grounded;
  return { ...v, value, evidence, grounded: grounded !== null };
}

/**
 * Keeps personal data at home: before a task goes to a provider outside the authority, names,
 * addresses, birth dates, IBAN, tax and social security numbers, phone numbers, e-mail addresses
 * and Aktenzeichen are replaced by stable placeholders (`[PERSON_1]`); the finding is restored
 * afterwards, with evidence offsets that refer to the original text.
 */
export class PseudonymisingAnalyser implements Analyser {
  readonly name: Analyser['name'];

  constructor(private readonly inner: Analyser) {
    this.name = inner.name;
  }

  async analyse(request: AnalysisRequest, signal?: AbortSignal): Promise<Finding> {
    const original = request.text;
    const { text, mapping } = pseudonymise(original);
    const finding = await this.inner.analyse({ ...request, text }, signal);
    const restored: Finding = { ...finding, inputHash: hashText(original), pseudonymised: mapping.entries.length > 0 };
    if (finding.classification !== undefined) {
      restored.classification = {
        ...finding.classification,
        rationale: restore(finding.classification.rationale, mapping),
        labels: finding.classification.labels.map((l: Label) => ({ ...l })),
      };
    }
    if (finding.extraction !== undefined) {
      const values = finding.extraction.values.map((v) => restoreValue(v, mapping, original));
      const data = restoreDeep(finding.extraction.data, mapping);
      restored.extraction = {
        data:
          data !== null && typeof data === 'object' && !Array.isArray(data)
            ? Object.fromEntries(Object.entries(data))
            : {},
        values,
      };
      // A quote that was grounded in the pseudonymised text but not in the original must not pass.
      const ungrounded = values.some((v) => v.evidence !== null && !v.grounded);
      if (ungrounded && !restored.reviewReasons.includes('ungrounded_evidence'))
        restored.reviewReasons = [...restored.reviewReasons, 'ungrounded_evidence'];
    }
    if (finding.summary !== undefined) {
      const sentences = finding.summary.sentences.map((sentence) => {
        const evidence = sentence.evidence.map((e) => {
          const quote = restore(e.quote, mapping);
          // Ground again on the original, as for extracted values: offsets must point into what the sender wrote.
          return groundQuote(original, quote) ?? { quote, start: UNGROUNDED_OFFSET, end: UNGROUNDED_OFFSET };
        });
        const grounded = sentence.grounded && evidence.every((e) => e.start >= 0);
        return { text: restore(sentence.text, mapping), evidence, grounded };
      });
      restored.summary = { sentences };
      if (sentences.some((s) => !s.grounded) && !restored.reviewReasons.includes('ungrounded_evidence'))
        restored.reviewReasons = [...restored.reviewReasons, 'ungrounded_evidence'];
    }
    return restored;
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
