import type { ComputedDeadline } from '../../jobs/reply-proposal.js';
import { periodEnd, type HolidayRegion } from '../deadline.js';
import type { DeadlineRule } from './posteingang-rules.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An ISO date as a German letter writes it (`16.12.2026`). */
export const germanDate = (iso: string): string => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/**
 * The periods a request's Anliegen call for, computed from dates the request gives: a rule starts
 * from the day of receipt (`eingang`) or from an extracted date (`bescheiddatum`). Without that date
 * the result says so and has no end: a deadline is computed, never guessed (issue #16).
 */
export function computeDeadlines(
  rules: readonly DeadlineRule[],
  request: { anliegen: readonly string[]; eingang: string; dates: Readonly<Record<string, unknown>> },
  region: HolidayRegion,
): ComputedDeadline[] {
  const out: ComputedDeadline[] = [];
  for (const rule of rules) {
    if (!rule.anliegen.some((a) => request.anliegen.includes(a))) continue;
    const base = { rule: rule.name, title: rule.title, basis: rule.basis, from: rule.from, fromLabel: rule.fromLabel };
    const given = rule.from === 'eingang' ? request.eingang : request.dates[rule.from];
    // A date that exists (no 31 February rolled over into March).
    const real =
      typeof given === 'string' &&
      ISO_DATE.test(given) &&
      !Number.isNaN(Date.parse(given)) &&
      new Date(`${given}T00:00:00Z`).toISOString().slice(0, 10) === given;
    if (typeof given !== 'string' || !real) {
      out.push({
        ...base,
        steps: [],
        unknown: `${rule.fromLabel} steht nicht in der Anfrage: die Frist ist nicht berechnet.`,
      });
      continue;
    }
    const period = periodEnd(given, rule, region);
    const steps = [...period.steps];
    const computed: ComputedDeadline = { ...base, fromDate: given, end: period.end, steps };
    if (rule.from !== 'eingang') {
      // A period that ran before the request (Widerspruchsfrist): was the request in time?
      computed.timely = request.eingang <= period.end;
      steps.push(
        `Eingang am ${germanDate(request.eingang)}: ${computed.timely ? 'innerhalb der Frist' : 'nach Ablauf der Frist (bitte prüfen: Wiedereinsetzung, Rechtsbehelfsbelehrung)'}`,
      );
      if (given > request.eingang)
        steps.push(`${rule.fromLabel} (${germanDate(given)}) liegt nach dem Eingang: bitte das Datum prüfen.`);
    }
    out.push(computed);
  }
  return out;
}

/** A deadline as one line of text, as a person and the Eingangsbestätigung read it. */
export function describeDeadline(d: ComputedDeadline): string {
  if (d.end === undefined) return `${d.title} (${d.basis}): ${d.unknown ?? 'nicht berechnet'}`;
  // The basis is said once, in brackets; the steps show the way to the end.
  const steps = d.steps.filter((s) => !s.startsWith(`${d.rule}: `));
  return `${d.title} (${d.basis}): endet am ${germanDate(d.end)}; ${steps.join('; ')}`;
}
