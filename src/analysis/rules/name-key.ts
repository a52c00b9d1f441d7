/** Key of a name part: lower case, without diacritics (`Öztürk` = `ozturk`, `Nguyễn` = `nguyen`, `Łukasz` = `lukasz`). */
export function nameKey(word: string): string {
  const lower = word.toLowerCase();
  // Most words are plain ASCII: nothing to fold (every recogniser keys every word, often twice).
  if (ASCII.test(lower)) return lower;
  return lower
    .replace(/ß/g, 'ss')
    .replace(/[ıł]/g, (c) => (c === 'ı' ? 'i' : 'l'))
    .replace(/[øđ]/g, (c) => (c === 'ø' ? 'o' : 'd'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included.
const ASCII = /^[\x00-\x7f]*$/;
