import { isHoliday } from 'feiertagejs';

/** The Länder (and `BUND`) as the holiday calendar knows them. */
export const HOLIDAY_REGIONS = [
  'BW',
  'BY',
  'BE',
  'BB',
  'HB',
  'HE',
  'HH',
  'MV',
  'NI',
  'NW',
  'RP',
  'SL',
  'SN',
  'ST',
  'SH',
  'TH',
  'BUND',
] as const;
export type HolidayRegion = (typeof HOLIDAY_REGIONS)[number];

export function isHolidayRegion(value: string): value is HolidayRegion {
  return (HOLIDAY_REGIONS as readonly string[]).includes(value);
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const BERLIN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
/** The calendar date of an instant in Germany (ISO). */
export const berlinDate = (instant: Date): string => BERLIN.format(instant);
const utc = (y: number, m: number, day: number): Date => new Date(Date.UTC(y, m, day));

function isWorkingDay(d: Date, region: HolidayRegion): boolean {
  return (
    d.getUTCDay() !== 0 &&
    d.getUTCDay() !== 6 &&
    !isHoliday(new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), region)
  );
}

/**
 * A deadline `days` calendar days after `from`; when it ends on a Saturday, Sunday or a public
 * holiday of the Land, it ends on the next working day (§ 31 (3) VwVfG). The holiday calendar is
 * feiertagejs (German holidays per Land, computed, Easter included). ISO date, UTC calendar.
 */
export function deadlineAfter(from: Date, days: number, region: HolidayRegion = 'BUND'): string {
  // The day as an authority in Germany counts it (Europe/Berlin), not as UTC does at 00:30 CEST.
  const [y, m, day] = berlinDate(from).split('-').map(Number);
  let d = utc(y ?? 1970, (m ?? 1) - 1, (day ?? 1) + days);
  // At most a long weekend and two holidays in a row (Christmas): the loop ends within days.
  while (!isWorkingDay(d, region)) d = utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  return iso(d);
}

/**
 * A statutory period as data (Posteingang, issue #16): what starts it, how long it runs, and why.
 * `fictionDays` is a Bekanntgabe fiction (§ 41 (2) VwVfG in its wording since 2025: a written act
 * sent by post is deemed announced on the fourth day after it was handed to the post).
 */
export interface PeriodRule {
  name: string;
  /** The legal basis, quoted in the result (`§ 70 VwGO`). */
  basis: string;
  /** Days after the given date on which the act counts as announced (4 for § 41 (2) VwVfG). */
  fictionDays?: number;
  months?: number;
  days?: number;
}

/** A computed period end with every step that led to it, so a person can check it. */
export interface PeriodEnd {
  /** The day the period started from (the announcement, deemed or given). */
  start: string;
  end: string;
  steps: string[];
}

/**
 * The end of a period that starts with an event on `eventDate` (ISO date): the event day is not
 * counted (§ 187 (1) BGB); a period of months ends on the day of the last month with the event
 * day's number, or on that month's last day when it has none (§ 188 (2), (3) BGB); a period of days
 * after that many days; an end on a Saturday, Sunday or public holiday of the Land moves to the next
 * working day (§ 193 BGB, § 31 (3) VwVfG, § 222 (2) ZPO, § 57 (2) VwGO). Computed, never guessed:
 * without an event date there is no end (the caller says so).
 */
export function periodEnd(eventDate: string, rule: PeriodRule, region: HolidayRegion = 'BUND'): PeriodEnd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(eventDate);
  if (m === null) throw new RangeError(`not an ISO date: ${eventDate}`);
  const steps: string[] = [];
  let start = utc(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (rule.fictionDays !== undefined) {
    steps.push(`Aufgabe zur Post am ${iso(start)}`);
    start = utc(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + rule.fictionDays);
    steps.push(`bekannt gegeben am ${rule.fictionDays}. Tag danach: ${iso(start)} (§ 41 Abs. 2 VwVfG)`);
  } else steps.push(`bekannt gegeben am ${iso(start)}`);
  let end = start;
  if (rule.months !== undefined) {
    const y = start.getUTCFullYear();
    const mo = start.getUTCMonth() + rule.months;
    const lastDay = utc(y, mo + 1, 0).getUTCDate();
    end = utc(y, mo, Math.min(start.getUTCDate(), lastDay));
    steps.push(
      `${rule.months} Monat(e): Ende am ${iso(end)} (§ 188 Abs. 2${start.getUTCDate() > lastDay ? ', 3' : ''} BGB)`,
    );
  }
  if (rule.days !== undefined) {
    end = utc(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + rule.days);
    steps.push(`${rule.days} Tag(e): Ende am ${iso(end)} (§ 188 Abs. 1 BGB)`);
  }
  // A weekend and a holiday or two in a row at most: the loop ends within days.
  const planned = iso(end);
  while (!isWorkingDay(end, region)) end = utc(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate() + 1);
  if (iso(end) !== planned)
    steps.push(
      `${planned} ist ein Samstag, Sonntag oder Feiertag (${region}): Ende am ${iso(end)} (§ 193 BGB, § 31 Abs. 3 VwVfG)`,
    );
  steps.push(`${rule.name}: ${rule.basis}`);
  return { start: iso(start), end: iso(end), steps };
}
