/**
 * Check-digit algorithms. They are what lets the rules say "this is an IBAN" rather than "this looks
 * like one": a number whose check digit fails is not reported at all.
 */

/** ISO 13616 / ISO 7064 MOD 97-10 check of a compact, upper-case IBAN. */
export function isValidIbanChecksum(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    // Letters count as two digits (A = 10 … Z = 35); feeding digit by digit avoids big integers.
    const digits = code >= 65 && code <= 90 ? String(code - 55) : ch;
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** ISO 7064 MOD 11,10 check digit over the first ten digits of a Steuer-Identifikationsnummer. */
export function steuerIdCheckDigit(firstTen: string): number {
  let product = 10;
  for (const ch of firstTen) {
    let sum = (Number(ch) + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product;
  return check === 10 ? 0 : check;
}

/**
 * Full Steuer-ID validity: 11 digits, no leading zero, in the first ten digits exactly one digit
 * occurs twice or three times (BZSt rule), and the ISO 7064 check digit matches.
 */
export function isValidSteuerId(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  const firstTen = digits.slice(0, 10);
  const counts = new Map<string, number>();
  for (const d of firstTen) counts.set(d, (counts.get(d) ?? 0) + 1);
  const repeated = [...counts.values()].filter((n) => n > 1);
  if (repeated.length !== 1 || (repeated[0] ?? 0) > 3) return false;
  return steuerIdCheckDigit(firstTen) === Number(digits[10]);
}

/**
 * Check digit of a Rentenversicherungsnummer (Sozialversicherungsnummer): the letter becomes its
 * two-digit alphabet position, the twelve digits are weighted 2,1,2,5,7,1,2,1,2,1,2,1, the digit sums
 * of the products are added, modulo 10.
 */
export function svNummerCheckDigit(area: string, birth: string, letter: string, serial: string): number {
  const letterNumber = String(letter.toUpperCase().charCodeAt(0) - 64).padStart(2, '0');
  const digits = area + birth + letterNumber + serial;
  const weights = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const product = Number(digits[i]) * (weights[i] ?? 0);
    sum += Math.floor(product / 10) + (product % 10);
  }
  return sum % 10;
}
