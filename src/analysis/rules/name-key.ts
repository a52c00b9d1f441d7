/** Key of a name part: lower case, without diacritics (`Öztürk` = `ozturk`, `Nguyễn` = `nguyen`, `Łukasz` = `lukasz`). */
export function nameKey(word: string): string {
  return word
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[ıł]/g, (c) => (c === 'ı' ? 'i' : 'l'))
    .replace(/[øđ]/g, (c) => (c === 'ø' ? 'o' : 'd'))
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}
