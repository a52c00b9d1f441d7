/**
 * Scanned letters read by OCR write `O` for `0` and `l` for `1` inside numbers (`2O.O1.2O26`,
 * `Tel. O531 / 2 41 9O-0`, `l9.O2.2O26`). The recognisers read a view of the text in which such
 * letters are digits again. The view has the same length as the text, so every offset found in it
 * is an offset in the text: quotes are taken from the text, values from the view.
 */

/** A run of digits, the letters OCR mistakes for them, and the punctuation inside numbers; not inside a word. */
const NUMBER_RUN = /(?<![\p{L}\p{N}])[0-9OolI](?:[0-9OolI]|[./:-](?=[0-9OolI]))*(?![\p{L}\p{N}])/gu;

/** The text with `O`/`o` read as `0` and `l`/`I` as `1` where they stand in a number of at least two digits. */
export function ocrDigitView(text: string): string {
  if (!/[0-9][OolI]|[OolI][0-9]/.test(text)) return text;
  return text.replace(NUMBER_RUN, (run) => {
    let digits = 0;
    for (const c of run) if (c >= '0' && c <= '9') digits++;
    // A Sozialversicherungsnummer carries a letter between its digits (`42251169O714`): it stays.
    if (digits < 2 || /^\d{8}[OI]\d{3}$/.test(run)) return run;
    let out = '';
    for (let i = 0; i < run.length; i++) {
      const c = run.charAt(i);
      const before = run.charAt(i - 1);
      const after = run.charAt(i + 1);
      const digitNear = /[0-9]/.test(before) || /[0-9]/.test(after);
      if ((c === 'O' || c === 'o') && (digitNear || /[.:/-]/.test(before))) out += '0';
      // `l`/`I` only before a digit or between two: `I/3-1187/26` keeps its roman numeral.
      else if ((c === 'l' || c === 'I') && /[0-9]/.test(after)) out += '1';
      else out += c;
    }
    return out;
  });
}
