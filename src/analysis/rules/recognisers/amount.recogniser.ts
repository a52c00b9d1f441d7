import { SpanSet } from '../span-set.js';
import { byPosition, entityMatch, matchAll, type EntityMatch } from '../entity-match.js';

/**
 * A German number: thousands grouped by dots with an optional decimal comma (`1.234,56`, `250,-`),
 * or plain digits with a decimal comma or, as English-trained writers do, two decimals after a dot
 * (`12.50`). Dot decimals only after plain digits: `1.234.56` is a typo, not a reading we guess.
 * Every repetition is bounded, and a separator always needs a digit after it, so each start is read once.
 */
const NUMBER = String.raw`(\d{1,3}(?:\.\d{3}){1,5}(?:,(?:\d{1,2}|-{1,2}|–))?|\d{1,12}(?:,(?:\d{1,2}|-{1,2}|–)|\.\d{2})?)`;

/** `€`, `EUR`, `Euro`, `Euros`; the words whole, so `Europa`, `Eurocity` and `Euro2026` stay out. */
const CURRENCY = String.raw`(?:€|eur(?:os?)?(?![\p{L}\d]))`;
const GAP = String.raw`[ \t\u00A0\u202F]?`;

/**
 * A number must start where no digit, dot or comma stands before it (else it is the tail of a date
 * or a longer number) and end where none follows.
 */
const AMOUNT_THEN_CURRENCY = new RegExp(`(?<![\\p{L}\\d.,])${NUMBER}${GAP}${CURRENCY}`, 'giu');
const CURRENCY_THEN_AMOUNT = new RegExp(`(?<![\\p{L}\\d])${CURRENCY}${GAP}${NUMBER}(?!\\d|[.,]\\d)`, 'giu');

/** `1.234,56` → `1234.56`, `250,-` → `250.00`, `12.50` → `12.50`, `1.200` → `1200.00`. */
function normalise(number: string): string {
  let whole: string;
  let fraction: string;
  const comma = number.indexOf(',');
  if (comma >= 0) {
    whole = number.slice(0, comma);
    fraction = number.slice(comma + 1);
  } else if (/^\d+\.\d{2}$/.test(number)) {
    [whole = '', fraction = ''] = number.split('.');
  } else {
    whole = number;
    fraction = '';
  }
  const digits = whole.replaceAll('.', '').replace(/^0+(?=\d)/, '');
  const cents = /^\d+$/.test(fraction) ? fraction.padEnd(2, '0') : '00';
  return `${digits}.${cents}`;
}

/**
 * Euro amounts, with the currency before or after the number; a number without one is a count, a
 * house number or part of a reference, so it is not reported. The quote includes the currency.
 */
export function recogniseAmounts(text: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  const taken = new SpanSet(text.length);
  for (const pattern of [AMOUNT_THEN_CURRENCY, CURRENCY_THEN_AMOUNT]) {
    for (const m of matchAll(pattern, text)) {
      const end = m.index + m[0].length;
      // `89 € 12`: the number before a currency sign has the better claim to it.
      if (!taken.tryAdd(m.index, end)) continue;
      found.push(entityMatch('amount', text, m.index, end, normalise(m[1] ?? ''), 0.9));
    }
  }
  return found.sort(byPosition);
}
