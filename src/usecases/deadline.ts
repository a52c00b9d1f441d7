/**
 * A deadline `days` calendar days after `from`, moved to the next Monday when it falls on a
 * weekend (§ 31 (3) VwVfG); public holidays are the Posteingang issue's (#16). ISO date, UTC.
 */
export function deadlineAfter(from: Date, days: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  const weekday = d.getUTCDay();
  if (weekday === 6) d.setUTCDate(d.getUTCDate() + 2);
  if (weekday === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
