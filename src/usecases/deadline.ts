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

/**
 * A deadline `days` calendar days after `from`; when it ends on a Saturday, Sunday or a public
 * holiday of the Land, it ends on the next working day (§ 31 (3) VwVfG). The holiday calendar is
 * feiertagejs (German holidays per Land, computed, Easter included). ISO date, UTC calendar.
 */
export function deadlineAfter(from: Date, days: number, region: HolidayRegion = 'BUND'): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days));
  // At most a long weekend and two holidays in a row (Christmas): the loop ends within days.
  while (
    d.getUTCDay() === 0 ||
    d.getUTCDay() === 6 ||
    isHoliday(new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()), region)
  )
    d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
