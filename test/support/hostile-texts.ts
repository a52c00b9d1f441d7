/**
 * Texts built to make a recogniser or classifier work hard: many matches, near-matches and
 * markers, repeated `n` times. Used by the linearity tests and by the fuzz run.
 */

/** A distinct capitalised name for each i (`Abc`, `Abd`, …), letters only, as the recognisers expect. */
export function nameFor(i: number): string {
  let s = '';
  let n = i + 26 * 26;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function distinct(n: number, make: (i: number) => string): string {
  return Array.from({ length: n }, (_, i) => make(i)).join('');
}

/** Name → generator of a hostile text with `n` repetitions. */
export const HOSTILE_TEXTS: Readonly<Record<string, (n: number) => string>> = {
  streets: (n) => 'Musterstraße 12 '.repeat(n),
  streetsAndPlaces: (n) =>
    distinct(n, (i) => `${nameFor(i)}weg ${(i % 900) + 1}, ${String(10000 + (i % 89999))} ${nameFor(i + 7)}\n`),
  streetWords: (n) => 'Straße Weg Allee Platz '.repeat(n),
  places: (n) => '12345 Musterstadt '.repeat(n),
  prepositions: (n) => 'Am Markt 3 An der Kirche 4 '.repeat(n),
  salutations: (n) => distinct(n, (i) => `Herr ${nameFor(i)} ${nameFor(i + 3)} und Frau Dr. ${nameFor(i + 5)}, `),
  roles: (n) =>
    distinct(
      n,
      (i) => `Antragstellerin: ${nameFor(i)} ${nameFor(i + 1)}; Bauherr: ${nameFor(i + 2)}, ${nameFor(i + 3)}. `,
    ),
  markersOnly: (n) => 'Herr Frau Dr. Prof. Antragsteller: '.repeat(n),
  // Issue #14: the gazetteer rules, lists after kin words, lower-case writers, initials, court captions.
  knownNames: (n) => distinct(n, (i) => `Anna Schmidt ${nameFor(i)} Mehmet Öztürk, Nguyen Thi ${nameFor(i + 1)} `),
  kinLists: (n) => `Kindern ${distinct(n, (i) => `${nameFor(i)}, `)}und Anna`,
  lowerWriter: (n) =>
    distinct(n, (i) => `lg anna ${nameFor(i).toLowerCase()} hier ist ${nameFor(i + 2).toLowerCase()} `),
  initials: (n) => 'K. J. M. Th. Dr. med. '.repeat(n),
  captions: (n) => distinct(n, (i) => `${nameFor(i)} ./. ${nameFor(i + 1)} In dem Rechtsstreit\n`),
  labels: (n) => 'Name (wie im Pass): Name in deutscher Schreibweise: '.repeat(n),
  aktenzeichenGlued: (n) => 'Az.'.repeat(n),
  aktenzeichen: (n) => distinct(n, (i) => `Az.: 63-${i}/2026 GZ ${i} K ${i}/25 `),
  dates: (n) => '12.03.2024 1. März 2024 2024-03-12 geb. am 01.02.1980 '.repeat(n),
  phones: (n) => 'Tel. 030 1234567 +49 (0)30 123 45-67 '.repeat(n),
  digits: (n) => '0 '.repeat(n * 8),
  emails: (n) => distinct(n, (i) => `${nameFor(i).toLowerCase()}.x@amt-${i}.de `),
  emailNearMiss: (n) => `${'a.'.repeat(n * 4)}@`,
  ibans: (n) => 'DE89 3704 0044 0532 0130 00 '.repeat(n),
  ibanNearMiss: (n) => 'DE89 '.repeat(n * 4),
  steuer: (n) => 'Steuer-ID 12 345 678 901 Steuernummer 123/456/78901 SV 12 150880 M 12 3 '.repeat(n),
  capitalWords: (n) => 'Aaaa '.repeat(n * 4),
  longWord: (n) => 'a'.repeat(n * 20),
  longCapitalWord: (n) => `Herr A${'a'.repeat(n * 20)}`,
  angleBrackets: (n) => '<a'.repeat(n * 8),
  keywords: (n) => 'Widerspruchsverfahren Bauantragstellung Beschwerdeführerin Akteneinsichtsgesuch '.repeat(n),
  // The pseudonymiser's safety net: field values, register parts, postcodes after comma chains, other scripts.
  fieldLists: (n) => `Kinder: ${distinct(n, (i) => `${nameFor(i)} (geb. 1.1.2020), `)}\n`,
  fieldColons: (n) => 'Name: Anschrift: Vater: '.repeat(n),
  fieldBlanks: (n) => `Vater: Anna${' '.repeat(n * 40)}b\nWohnort: Weg 1${',;'.repeat(n * 20)}b\n`,
  registerRuns: (n) => `Az. ${'4 K 12/25 B '.repeat(n)}`,
  slashRun: (n) => '1/'.repeat(n * 4),
  commaChains: (n) => 'Whg. 7, AP. 12, 9 A, 12345 Ort, '.repeat(n),
  otherScript: (n) => 'Евгений Смирнов '.repeat(n),
  compoundWords: (n) => distinct(n, (i) => `Widerspruch${nameFor(i).toLowerCase()}verfahren `),
  unknownWords: (n) => distinct(n, (i) => `Qx${nameFor(i).toLowerCase()}ztw `),
  longCompounds: (n) => distinct(n, (i) => `Bau${'antrags'.repeat(4)}${nameFor(i).toLowerCase()}amt `),
  dashSignatures: (n) => distinct(n, (i) => `– ${nameFor(i)}\nHallo ${nameFor(i + 1)}\nAn die Eheleute\n`),
  referenceLabels: (n) => 'Nr. Az.: Kunden-Nr. 1 2 3 4 Zeichen SG 32.1 – '.repeat(n),
  brokenLines: (n) => distinct(n, (i) => `${nameFor(i)}-\n${nameFor(i + 1).toLowerCase()} `),
  csvTable: (n) => `nr;name;geburtsdatum\n${'1;"A, B";2020-01-01\n'.repeat(n)}`,
  csvQuotes: (n) => `${'";'.repeat(n * 8)}geburtsdatum\n`,
  ocrNumbers: (n) => 'O1O.lO2 2O.O1.2O26 '.repeat(n),
  birthTable: (n) =>
    `Name | Geburtsdatum | Verhältnis\n${distinct(n, (i) => `${nameFor(i)}, Elif | 01.02.2003 | Tochter\n`)}`,
};
