/**
 * Extractive summary of a citizen's request to a municipality (e-mail, web form, letter transcript)
 * for the rules analyser's `summarise` task. The summary is made of sentences of the source, each with
 * the one span it was cut from, so it is grounded by construction and a Sachbearbeiter can check it
 * against the original at a glance. No model, no randomness: the same text always gives the same
 * summary, and the work is linear in the text.
 *
 * The text is read in three steps: its lines are sorted into what carries the request (the body, a
 * subject) and what does not (mail headers, salutations, closings, signatures, quoted history, form
 * fields such as name and address); the body is cut into sentences; the sentences are scored by cue
 * words for what is asked, about what and by when, and the best few are returned in source order.
 */

import { MAX_SUMMARY_SENTENCES } from '../../jobs/finding.js';

/** A span of the input: UTF-16 offsets, `quote === text.slice(start, end)`. */
export interface SummarySpan {
  quote: string;
  start: number;
  end: number;
}

/** A sentence (or a subject field line) of the source, whitespace-collapsed, and the span it rests on. */
export interface SummarySentence {
  text: string;
  evidence: SummarySpan[];
}

/**
 * Only this many characters are read for candidate sentences: a summary of a request rests on its
 * beginning (what is asked is said first); longer texts are attachments, pasted documents or quoted
 * threads, whose later parts would only add cost and noise. It also bounds the work for hostile input.
 */
const HEAD_LIMIT = 20_000;
const DEFAULT_MAX_SENTENCES = 3;
const MAX_SENTENCES_LIMIT = MAX_SUMMARY_SENTENCES;

/** A salutation, closing or field label is short; a longer line that starts like one is a sentence. */
const MAX_CLOSING_WORDS = 10;
const MAX_CLOSING_TAIL_WORDS = 8;
const MAX_FORMAL_SALUTATION_WORDS = 8;
const MAX_PLAIN_SALUTATION_WORDS = 4;
/** A line that starts like a mail header of a quoted message is only one if it is this short. */
const MAX_QUOTE_INTRO_CHARS = 300;
/** A subject field holding more words than this is the message itself (forms that only have `Anliegen`). */
const MAX_SUBJECT_WORDS = 15;
/** A line continuing a form's data field (an address's second line) is short. */
const MAX_CONTINUATION_WORDS = 6;
/** Abbreviations are short; a longer word before a full stop ends a sentence. */
const MAX_ABBREVIATION_CHARS = 12;
/**
 * A line break ends a sentence when the next line's first word would have fitted on the line before
 * with room to spare: then the writer broke the line, not the mail client's hard wrap. The slack
 * allows for letters set in proportional type, whose lines vary in characters per line.
 */
const WRAP_SLACK = 0.8;

/** Scoring: a sentence is worth returning only above zero; cue weights say how much it tells. */
const BODY_BASE = 1;
const SUBJECT_BASE = 2;
const FIRST_SENTENCE_BONUS = 2;
const SHORT_WORDS = 4;
const LONG_WORDS = 60;
const LENGTH_PENALTY = 3;
/** Contact details are only penalised on short lines: a sentence giving a new address is content. */
const CONTACT_MAX_WORDS = 6;
const CONTACT_PENALTY = 4;
const FILLER_PENALTY = 3;

interface Range {
  start: number;
  end: number;
}

/** A line of the text: `start`/`end` trimmed of whitespace, `lineStart` where the line begins. */
interface Line extends Range {
  lineStart: number;
}

interface Candidate extends Range {
  text: string;
  score: number;
  subject: boolean;
}

/** Cues are matched on folded text (lower case, umlauts and ß spelt out) so `Grüße` and `Gruesse` agree. */
const FOLD: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

function fold(s: string): string {
  return s.toLowerCase().replace(/[äöüß]/g, (c) => FOLD[c] ?? c);
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function wordCount(s: string): number {
  return s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
}

function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const LETTER_RE = /\p{L}/u;
const UPPER_RE = /\p{Lu}/u;
const WORD_CHAR_RE = /[\p{L}\p{N}]/u;

function isLetterAt(text: string, i: number): boolean {
  return LETTER_RE.test(text.charAt(i));
}

/** Sentence-ending punctuation: full stop, exclamation and question mark, ellipsis. */
function isTerminal(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 0x2026;
}

/** Characters that close a sentence after its full stop: quotes and brackets. */
function isCloser(c: number): boolean {
  return (
    c === 34 ||
    c === 39 ||
    c === 41 ||
    c === 93 ||
    c === 0x201c ||
    c === 0x201d ||
    c === 0x2019 ||
    c === 0xab ||
    c === 0xbb
  );
}

/** Characters that open a sentence before its first letter: „ " ‚ ' ( « ». */
function isOpener(c: number): boolean {
  return c === 34 || c === 39 || c === 40 || c === 0x201e || c === 0x201a || c === 0x201c || c === 0xab || c === 0xbb;
}

function trimRange(text: string, start: number, end: number): Range {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return { start: s, end: e };
}

function readLines(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let lineStart = from;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : -1;
    if (c !== -1 && !isLineBreak(c)) continue;
    lines.push({ ...trimRange(text, lineStart, i), lineStart });
    if (c === 13 && i + 1 < to && text.charCodeAt(i + 1) === 10) i++;
    lineStart = i + 1;
  }
  return lines;
}

function isBlank(line: Line): boolean {
  return line.start >= line.end;
}

/**
 * Words after which a full stop does not end a sentence (folded, without the stop). Single letters
 * (`z. B.`, `d. h.`, `u. a.`, `i. V. m.`, initials) are caught by length. `usw.` and `etc.` are left
 * out on purpose: they mostly do end a sentence.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'abs',
  'abt',
  'allg',
  'anh',
  'anl',
  'art',
  'az',
  'bd',
  'betr',
  'bzgl',
  'bzw',
  'ca',
  'di',
  'do',
  'dr',
  'ehem',
  'einschl',
  'entspr',
  'evtl',
  'ff',
  'fr',
  'geb',
  'gem',
  'ggf',
  'gz',
  'hausnr',
  'hr',
  'hrn',
  'inkl',
  'insb',
  'jan',
  'feb',
  'kap',
  'lfd',
  'lit',
  'lt',
  'max',
  'mi',
  'min',
  'mind',
  'mo',
  'nr',
  'okt',
  'pkt',
  'prof',
  'rd',
  'sa',
  'sog',
  'st',
  'std',
  'str',
  'tel',
  'tsd',
  'vgl',
  'zzgl',
  'ziff',
  'zt',
  'zw',
]);

/** Whether the full stop at `dot` belongs to an abbreviation, an ordinal (`3. Februar`) or a date. */
function isNonFinalStop(text: string, dot: number): boolean {
  let k = dot;
  while (k > 0 && dot - k < MAX_ABBREVIATION_CHARS && isLetterAt(text, k - 1)) k--;
  if (k < dot) {
    if (k > 0 && isLetterAt(text, k - 1)) return false;
    if (dot - k === 1) return true;
    return ABBREVIATIONS.has(fold(text.slice(k, dot)));
  }
  // One or two digits before a stop are a day or an ordinal (`am 3. Februar`, `12.11. Ihr Schreiben`);
  // a year or a longer number ends a sentence.
  let digits = 0;
  while (k > 0 && digits < 3 && isDigit(text.charCodeAt(k - 1))) {
    k--;
    digits++;
  }
  return digits >= 1 && digits <= 2;
}

/**
 * Whether the punctuation run [p, q) (with its closing quotes) ends a sentence: it must be followed by
 * whitespace and an upper-case letter, or by the end of the line. Doubtful stops do not split: a
 * sentence cut in half misleads more than two sentences read as one.
 */
function endsSentence(text: string, p: number, q: number, lineEnd: number): boolean {
  let r = q;
  if (r < lineEnd) {
    if (!isSpace(text.charCodeAt(r))) return false;
    while (r < lineEnd && isSpace(text.charCodeAt(r))) r++;
    while (r < lineEnd && isOpener(text.charCodeAt(r))) r++;
    if (r < lineEnd && !UPPER_RE.test(text.charAt(r))) return false;
  }
  const singleStop = text.charCodeAt(p) === 46 && (p + 1 >= q || !isTerminal(text.charCodeAt(p + 1)));
  return !(singleStop && isNonFinalStop(text, p));
}

const BULLET_RE = /^(?:[-*•–·▪]|\d{1,2}\)|[a-z]\))\s/u;

function startsWithBullet(text: string, start: number, end: number): boolean {
  return BULLET_RE.test(text.slice(start, Math.min(end, start + 4)));
}

/** Whether the break between two lines of one paragraph ends the sentence running over it. */
function lineBreakEndsSentence(text: string, prev: Line, next: Line, maxLen: number): boolean {
  const last = text.charCodeAt(prev.end - 1);
  if (last === 58) return true;
  if (startsWithBullet(text, next.start, next.end)) return true;
  // A full stop left standing belongs to an abbreviation; a comma or hyphen says the sentence goes on.
  if (last === 46 || last === 44 || last === 45) return false;
  let r = next.start;
  while (r < next.end && isOpener(text.charCodeAt(r))) r++;
  const first = text.charAt(r);
  if (!UPPER_RE.test(first) && !isDigit(first.charCodeAt(0))) return false;
  let w = r;
  while (w < next.end && !isSpace(text.charCodeAt(w))) w++;
  return prev.end - prev.lineStart + 1 + (w - next.start) <= maxLen * WRAP_SLACK;
}

function pushSentence(text: string, start: number, end: number, out: Range[]): void {
  let { start: s, end: e } = trimRange(text, start, end);
  if (startsWithBullet(text, s, e)) {
    while (s < e && !isSpace(text.charCodeAt(s))) s++;
    ({ start: s, end: e } = trimRange(text, s, e));
  }
  if (s < e && WORD_CHAR_RE.test(text.slice(s, e))) out.push({ start: s, end: e });
}

/** Cuts the lines of one paragraph (no blank line between them) into sentences. */
function splitParagraph(text: string, lines: readonly Line[], out: Range[]): void {
  let maxLen = 0;
  for (const line of lines) maxLen = Math.max(maxLen, line.end - line.lineStart);
  let cur = -1;
  let prev: Line | undefined;
  for (const line of lines) {
    if (cur >= 0 && prev && lineBreakEndsSentence(text, prev, line, maxLen)) {
      pushSentence(text, cur, prev.end, out);
      cur = -1;
    }
    if (cur < 0) cur = line.start;
    let p = line.start;
    while (p < line.end) {
      if (!isTerminal(text.charCodeAt(p))) {
        p++;
        continue;
      }
      // The whole run of stops (`...`, `?!`) is decided once, so a text of dots stays linear.
      let q = p + 1;
      while (q < line.end && isTerminal(text.charCodeAt(q))) q++;
      while (q < line.end && isCloser(text.charCodeAt(q))) q++;
      if (endsSentence(text, p, q, line.end)) {
        pushSentence(text, cur, q, out);
        cur = q < line.end ? q : -1;
      }
      p = q;
    }
    prev = line;
  }
  if (cur >= 0 && prev) pushSentence(text, cur, prev.end, out);
}

/** Splits body lines into paragraphs (runs of adjacent lines) and those into sentences. */
function splitBody(text: string, body: readonly { line: Line; index: number }[]): Range[] {
  const out: Range[] = [];
  let paragraph: Line[] = [];
  let lastIndex = -2;
  for (const { line, index } of body) {
    if (index !== lastIndex + 1 && paragraph.length > 0) {
      splitParagraph(text, paragraph, out);
      paragraph = [];
    }
    paragraph.push(line);
    lastIndex = index;
  }
  if (paragraph.length > 0) splitParagraph(text, paragraph, out);
  return out;
}

// --- Line roles -------------------------------------------------------------------------------------

const HEADER_RE =
  /^(von|an|cc|bcc|datum|gesendet|betreff|from|to|date|sent|subject|antwort an|reply-to|wichtigkeit|prioritaet|importance)\s*:/;
const SUBJECT_HEADERS: ReadonlySet<string> = new Set(['betreff', 'subject']);
const QUOTED_HEADER_RE = /^(?:gesendet|datum|an|betreff|sent|date|to|subject|cc)\s*:/;

/** Form fields whose value names the matter, those whose value is the message, and data fields. */
type FieldKind = 'subject' | 'message' | 'data';
const FIELD_KINDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ...['betreff', 'subject', 'anliegen', 'ihr anliegen', 'thema', 'gegenstand', 'worum geht es'].map(
    (k): [string, FieldKind] => [k, 'subject'],
  ),
  ...[
    'nachricht',
    'ihre nachricht',
    'mitteilung',
    'ihre mitteilung',
    'text',
    'beschreibung',
    'bemerkung',
    'bemerkungen',
    'anmerkung',
    'anmerkungen',
    'kommentar',
    'message',
    'anfrage',
    'ihre anfrage',
    'frage',
    'ihre frage',
    'sachverhalt',
    'begruendung',
    'details',
    'inhalt',
    'freitext',
  ].map((k): [string, FieldKind] => [k, 'message']),
  ...[
    'name',
    'vorname',
    'nachname',
    'familienname',
    'vor- und nachname',
    'anrede',
    'titel',
    'e-mail',
    'email',
    'e-mail-adresse',
    'email-adresse',
    'e-mail adresse',
    'mail',
    'telefon',
    'telefonnummer',
    'tel',
    'mobil',
    'mobilnummer',
    'handy',
    'fax',
    'strasse',
    'hausnummer',
    'hausnr',
    'strasse und hausnummer',
    'strasse/hausnummer',
    'strasse, hausnummer',
    'strasse, nr',
    'plz',
    'postleitzahl',
    'ort',
    'wohnort',
    'plz/ort',
    'plz, ort',
    'plz und ort',
    'stadt',
    'anschrift',
    'adresse',
    'geburtsdatum',
    'geburtsname',
    'geburtsort',
    'staatsangehoerigkeit',
    'firma',
    'organisation',
    'unternehmen',
    'aktenzeichen',
    'az',
    'kassenzeichen',
    'kundennummer',
    'vorgangsnummer',
    'kennzeichen',
    'datum',
    'uhrzeit',
    'eingegangen am',
    'gesendet am',
    'absender',
    'empfaenger',
    'von',
    'an',
    'cc',
    'ip',
    'ip-adresse',
    'datenschutz',
    'datenschutzerklaerung',
    'einwilligung',
    'zustimmung',
    'formular',
    'rueckrufnummer',
    'erreichbarkeit',
    'kontakt',
    'kontaktdaten',
    'bevorzugter kontaktweg',
    'kategorie',
    'bereich',
    'ihr zeichen',
    'unser zeichen',
    'ihre nachricht vom',
    'ihr schreiben vom',
    'iban',
    'bic',
    'kontoinhaber',
    'steuernummer',
    'land',
    'gemeinde',
    'ortsteil',
    'anlage',
    'anlagen',
    'anhang',
    'dateianhang',
    'captcha',
    'webseite',
    'website',
  ].map((k): [string, FieldKind] => [k, 'data']),
]);

const FIELD_RE = /^(\p{L}[\p{L}\p{N} .,/()*-]{0,40}?)\s*:(?!\/\/)/u;

interface Field {
  label: Range;
  value: Range;
  kind: FieldKind;
}

function readField(text: string, line: Line): Field | undefined {
  const m = FIELD_RE.exec(text.slice(line.start, Math.min(line.end, line.start + 64)));
  const label = m?.[1];
  if (!m || label === undefined) return undefined;
  const key = fold(label)
    .replace(/\([^)]*\)/g, '')
    .replace(/[.*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const kind = FIELD_KINDS.get(key);
  if (!kind) return undefined;
  return {
    label: trimRange(text, line.start, line.start + label.length),
    value: trimRange(text, line.start + m[0].length, line.end),
    kind,
  };
}

function startsQuote(text: string, lines: readonly Line[], li: number, norm: string): boolean {
  if (norm.startsWith('>')) return true;
  if (/^-{2,}\s*(?:urspruengliche|original|weitergeleitete|forwarded)/.test(norm)) return true;
  if (/^(?:anfang der weitergeleiteten nachricht|begin forwarded message)/.test(norm)) return true;
  if (/^_{5,}$/.test(norm)) return true;
  if (norm.length > MAX_QUOTE_INTRO_CHARS) return false;
  if (/^am\s.*\bschrieb(?:en)?\b.*:$/.test(norm) || /^on\s.*\bwrote:$/.test(norm)) return true;
  const next = nextNonBlank(lines, li);
  if (!next) return false;
  const nextNorm = fold(text.slice(next.start, Math.min(next.end, next.start + MAX_QUOTE_INTRO_CHARS + 1)));
  // A quote's introduction wrapped over two lines, or an Outlook header block further down the mail.
  if (/^am\s/.test(norm) && !norm.includes('schrieb') && /\bschrieb(?:en)?\b.*:$/.test(nextNorm)) return true;
  return /^(?:von|from)\s*:/.test(norm) && QUOTED_HEADER_RE.test(nextNorm);
}

function nextNonBlank(lines: readonly Line[], li: number): Line | undefined {
  for (let j = li + 1; j < lines.length && j <= li + 2; j++) {
    const line = lines[j];
    if (line && !isBlank(line)) return line;
  }
  return undefined;
}

function startsSignature(norm: string): boolean {
  return norm === '--' || /^(?:gesendet von meinem|von meinem \S+ gesendet|sent from my)/.test(norm);
}

const GREETING = 'gr(?:ue|u)e?ss?(?:e|en)?(?![a-z])(?!\\s+gott)';
const CLOSING_START_RE = new RegExp(
  `^(?:mit\\s+)?(?:den\\s+)?(?:(?:sehr\\s+)?(?:freundlich|best|viel|lieb|herzlich|schoen|sonnig|kollegial|nett)[a-z]*\\s+)?${GREETING}|^(?:mfg|vg|lg|bg|hochachtungsvoll|best regards|kind regards|regards|cheers)(?![a-z])`,
);
const CLOSING_END_RE = new RegExp(`(?<![a-z])${GREETING}[\\s,.!]*$`);

function isClosing(norm: string, words: number): boolean {
  if (words > MAX_CLOSING_WORDS) return false;
  return CLOSING_START_RE.test(norm) || (words <= MAX_CLOSING_TAIL_WORDS && CLOSING_END_RE.test(norm));
}

const FORMAL_SALUTATION_RE = /^(?:sehr\s+geehrte[rs]?|dear)(?![a-z])/;
const NAMED_SALUTATION_RE = /^(?:[Ll]iebe[rs]?|[Ww]erte[rs]?|[Gg]eehrte[rs]?)\s+\p{Lu}/u;
const PLAIN_SALUTATION_RE =
  /^(?:hallo|hi|hey|guten\s+(?:tag|morgen|abend)|moin(?:\s+moin)?|servus|gru(?:e)?ss?\s+gott|gruezi)(?![a-z])/;

/**
 * Where the salutation at the start of `raw` ends (after its comma or exclamation mark, or the whole
 * line), or -1 if there is none. What follows on the line is body (`Guten Tag, ich möchte …`).
 */
function salutationEnd(raw: string): number {
  const norm = fold(raw);
  let maxWords: number;
  if (FORMAL_SALUTATION_RE.test(norm) || NAMED_SALUTATION_RE.test(raw)) maxWords = MAX_FORMAL_SALUTATION_WORDS;
  else if (PLAIN_SALUTATION_RE.test(norm)) maxWords = MAX_PLAIN_SALUTATION_WORDS;
  else return -1;
  const stop = raw.search(/[,!]/);
  if (stop >= 0 && wordCount(raw.slice(0, stop)) <= maxWords) return stop + 1;
  if (wordCount(raw) <= maxWords && !/[.?:]$/.test(raw)) return raw.length;
  return -1;
}

const PS_RE = /^(?:p\.\s?s\.|p\.\s?p\.\s?s\.|pps|ps)(?![a-z])/;

/** Postal, phone, mail and web details: a signature's or address block's lines, not the request. */
const CONTACT_RE =
  /@|(?<![a-z])(?:tel|telefon|fax|mobil|handy)(?![a-z])|(?<!\d)\d{5}\s+\p{L}|www\.|https?:|(?:strasse|str\.|weg|allee|platz|gasse|ring|damm)\s+\d/u;
/** A place and date line of a letter (`Musterstadt, 20.11.2026`) or a bare date. */
const DATE_LINE_RE = /^(?:[\p{L} .-]+,\s*(?:den\s+)?)?\d{1,2}\.\s*(?:\d{1,2}\.\s*\d{2,4}|\p{L}+\s+\d{4})$/u;

interface Layout {
  subjects: Candidate[];
  body: { line: Line; index: number }[];
}

function subjectCandidate(text: string, label: Range | undefined, value: Range): Candidate {
  const valueText = collapse(text.slice(value.start, value.end));
  const shown = label ? `${collapse(text.slice(label.start, label.end))}: ${valueText}` : valueText;
  return { ...value, text: shown, score: subjectScore(valueText), subject: true };
}

/** Sorts the lines of the head of the text into subjects and body lines; the rest is dropped. */
function layOut(text: string, lines: readonly Line[]): Layout {
  const subjects: Candidate[] = [];
  const body: { line: Line; index: number }[] = [];
  let li = 0;
  while (li < lines.length && lines[li]?.start === lines[li]?.end) li++;
  // Mail headers at the top, with their folded continuation lines.
  let inHeaders = false;
  for (; li < lines.length; li++) {
    const line = lines[li];
    if (!line || isBlank(line)) break;
    const norm = fold(text.slice(line.start, Math.min(line.end, line.start + 40)));
    const header = HEADER_RE.exec(norm);
    if (header) {
      inHeaders = true;
      if (SUBJECT_HEADERS.has(header[1] ?? '')) {
        const field = readField(text, line);
        if (field && field.value.start < field.value.end)
          subjects.push(subjectCandidate(text, field.label, field.value));
      }
      continue;
    }
    if (inHeaders && line.start > line.lineStart) continue;
    break;
  }

  type Mode = 'body' | 'data' | 'signature' | 'ps';
  let mode: Mode = 'body';
  let salutationLine = -1;
  for (; li < lines.length; li++) {
    const line = lines[li];
    if (!line) continue;
    if (isBlank(line)) {
      if (mode === 'data') mode = 'body';
      else if (mode === 'ps') mode = 'signature';
      continue;
    }
    const raw = text.slice(line.start, line.end);
    const norm = fold(raw);
    if (startsQuote(text, lines, li, norm) || startsSignature(norm)) break;
    if (mode === 'signature') {
      if (PS_RE.test(norm)) {
        mode = 'ps';
        body.push({ line, index: li });
      }
      continue;
    }
    if (mode === 'ps') {
      body.push({ line, index: li });
      continue;
    }
    const words = wordCount(raw);
    if (isClosing(norm, words)) {
      mode = 'signature';
      continue;
    }
    const salutation = salutationEnd(raw);
    if (salutation >= 0) {
      if (salutationLine < 0) salutationLine = li;
      const rest = trimRange(text, line.start + salutation, line.end);
      if (rest.start < rest.end) body.push({ line: { ...rest, lineStart: line.lineStart }, index: li });
      mode = 'body';
      continue;
    }
    const field = readField(text, line);
    if (field) {
      const { value } = field;
      const hasValue = value.start < value.end;
      const valueWords = hasValue ? wordCount(text.slice(value.start, value.end)) : 0;
      if (field.kind === 'data') {
        mode = 'data';
        continue;
      }
      mode = 'body';
      if (field.kind === 'subject' && valueWords <= MAX_SUBJECT_WORDS) {
        if (hasValue) subjects.push(subjectCandidate(text, field.label, value));
        continue;
      }
      if (!hasValue) continue;
      // A form's message often opens with its own salutation on the field's line.
      const valueRaw = text.slice(value.start, value.end);
      const cut = salutationEnd(valueRaw);
      const rest = cut >= 0 ? trimRange(text, value.start + cut, value.end) : value;
      if (rest.start < rest.end) body.push({ line: { ...rest, lineStart: line.lineStart }, index: li });
      continue;
    }
    if (mode === 'data' && words <= MAX_CONTINUATION_WORDS && CONTACT_RE.test(norm)) continue;
    mode = 'body';
    body.push({ line, index: li });
  }

  if (salutationLine < 0) return { subjects, body };
  // Before a letter's salutation stand addresses, a place and date, and the subject line(s): only the
  // subject is kept, as the last paragraph there that is neither a date nor contact details.
  const preamble = body.filter((b) => b.index < salutationLine);
  const letterSubject = lastSubjectParagraph(text, preamble);
  if (letterSubject) subjects.push(letterSubject);
  return { subjects, body: body.filter((b) => b.index >= salutationLine) };
}

function lastSubjectParagraph(text: string, preamble: readonly { line: Line; index: number }[]): Candidate | undefined {
  let end = preamble.length;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && (preamble[start - 1]?.index ?? -2) === (preamble[start]?.index ?? 0) - 1) start--;
    const first = preamble[start]?.line;
    const last = preamble[end - 1]?.line;
    if (first && last) {
      const range = { start: first.start, end: last.end };
      const norm = fold(collapse(text.slice(range.start, range.end)));
      if (!DATE_LINE_RE.test(norm) && !CONTACT_RE.test(norm) && /\p{L}{3}/u.test(norm)) {
        return subjectCandidate(text, undefined, range);
      }
    }
    end = start;
  }
  return undefined;
}

// --- Scoring ----------------------------------------------------------------------------------------

const MONTHS = 'januar|februar|maerz|april|mai|juni|juli|august|september|oktober|november|dezember';
const DATE_RE = new RegExp(
  `\\b\\d{1,2}\\.\\s?\\d{1,2}\\.(?:\\s?\\d{2,4})?|\\b\\d{1,2}\\.\\s*(?:${MONTHS}|jan|feb|okt|nov|dez)\\b|\\b(?:${MONTHS})\\s+\\d{4}\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b`,
);

/**
 * Cues on folded text, each counted once per sentence: what is asked (weight 3 for the acts a
 * Sachbearbeiter must handle, less for weaker wishes), about what (file numbers, notices, amounts) and
 * by when (dates, deadlines).
 */
const CUES: readonly (readonly [RegExp, number])[] = [
  [/antrag|antraeg/, 3],
  [/widerspr|einspruch/, 3],
  [/\bbitte(?:n)?\s+(?:sie\s+)?um\b|\bbitte\s+ich\b|\bich\s+bitte\b|\bbitten\s+(?:sie|wir)\b|\bwir\s+bitten\b/, 3],
  [/\bbitte\b/, 1],
  [/auskunft|akteneinsicht|\bart\.?\s*15\b|dsgvo/, 3],
  [/beschwer/, 3],
  [/termin/, 2],
  [/frist/, 3],
  [/aender/, 2],
  [/umgezogen|umzug|ummeld|verzogen|neue[nr]?\s+(?:adresse|anschrift|wohnung)/, 3],
  [/bankverbindung|kontoverbindung|\biban\b/, 2],
  [/zahlung|\bzahlen\b|bezahl|ueberweis|erstatt|gebuehr/, 2],
  [/mahnung|gemahnt|saeumnis|vollstreck/, 3],
  [/ruecknahme|zurueck(?:zu)?(?:ziehen|nehmen)|\b(?:ziehe|nehme)\b[^.!?]{0,80}\bzurueck\b/, 3],
  [/kuendig|stornier|abmeld/, 3],
  [/bescheinigung|bestaetigung|genehmigung|erlaubnis|verlaenger/, 2],
  [/\bhiermit\b/, 2],
  [/\bmoechte\b|\bwuerde\s+gerne?\b|\bbenoetige\b|\bbrauche\b|\bfordere\b|\bverlange\b/, 1],
  [/\?/, 1],
  [
    /aktenzeichen|\baz\b|\bgz\b|geschaeftszeichen|\bihr zeichen\b|kassenzeichen|kundennummer|vorgangsnummer|\bnr\.\s*\d/,
    2,
  ],
  [/bescheid|schreiben\s+vom/, 2],
  [DATE_RE, 2],
  [/\d\s?(?:€|eur\b|euro\b)|€\s?\d/, 2],
  [/\bbis\s+(?:zum|spaetestens|ende|mitte|anfang)\b|\bspaetestens\b|\binnerhalb\s+(?:von|der|einer|eines)\b/, 2],
  [/§/, 1],
];

/** Politeness that carries no request: thanks, offers to answer questions, hopes. */
const FILLER_RE =
  /vielen\s+dank|herzlichen\s+dank|besten\s+dank|\bdanke\b|fuer\s+rueckfragen|stehe\s+ich\s+(?:ihnen\s+)?(?:gerne?|jederzeit)|zur\s+verfuegung|freue\s+mich|im\s+voraus|ich\s+hoffe/;

/** Subjects that name no matter (`Anfrage`, `AW: Kontaktformular`). */
const GENERIC_SUBJECT_RE =
  /^(?:anfrage|frage|nachricht|kontakt|kontaktformular|kontaktanfrage|ihre anfrage|ihre nachricht|anliegen|sonstiges|sonstige|allgemeine anfrage|allgemein|hallo|info|information|informationen|keine angabe|bitte auswaehlen|test|kein betreff|ohne betreff|\(kein betreff\))$/;
const REPLY_PREFIX_RE = /^(?:(?:aw|wg|re|fw|fwd|antw|wtr)\s*:\s*)+/;

function cueScore(norm: string): number {
  let score = 0;
  for (const [re, weight] of CUES) if (re.test(norm)) score += weight;
  return score;
}

function subjectScore(value: string): number {
  const norm = fold(value).replace(REPLY_PREFIX_RE, '').trim();
  if (GENERIC_SUBJECT_RE.test(norm) || !/\p{L}{3}/u.test(norm)) return 0;
  return SUBJECT_BASE + cueScore(norm);
}

function bodyCandidates(text: string, sentences: readonly Range[]): Candidate[] {
  const out: Candidate[] = [];
  let firstSeen = false;
  for (const s of sentences) {
    const shown = collapse(text.slice(s.start, s.end));
    const norm = fold(shown);
    const words = wordCount(shown);
    const contact = words <= CONTACT_MAX_WORDS && CONTACT_RE.test(norm);
    let score = BODY_BASE + cueScore(norm);
    if (!firstSeen && words >= SHORT_WORDS && !contact) {
      firstSeen = true;
      score += FIRST_SENTENCE_BONUS;
    }
    if (words < SHORT_WORDS || words > LONG_WORDS) score -= LENGTH_PENALTY;
    if (contact) score -= CONTACT_PENALTY;
    if (FILLER_RE.test(norm)) score -= FILLER_PENALTY;
    out.push({ ...s, text: shown, score, subject: false });
  }
  return out;
}

/** The best `k` candidates (score, then source position), in O(candidates × k) with k ≤ 10. */
function pickBest(candidates: readonly Candidate[], k: number): Candidate[] {
  const taken = new Set<Candidate>();
  for (let round = 0; round < k; round++) {
    let best: Candidate | undefined;
    for (const c of candidates) {
      if (c.score <= 0 || taken.has(c)) continue;
      if (!best || c.score > best.score || (c.score === best.score && c.start < best.start)) best = c;
    }
    if (!best) break;
    taken.add(best);
  }
  return [...taken].sort((a, b) => a.start - b.start);
}

/** The first sentence of the first line holding a word, read from the whole text: the last resort. */
function firstWordSentence(text: string): Range | undefined {
  const i = text.search(WORD_CHAR_RE);
  if (i < 0) return undefined;
  let from = i;
  const floor = Math.max(0, i - HEAD_LIMIT);
  while (from > floor && !isLineBreak(text.charCodeAt(from - 1))) from--;
  let to = i;
  const ceil = Math.min(text.length, i + HEAD_LIMIT);
  while (to < ceil && !isLineBreak(text.charCodeAt(to))) to++;
  const out: Range[] = [];
  splitParagraph(text, [{ ...trimRange(text, from, to), lineStart: from }], out);
  return out[0];
}

function toSentence(text: string, c: Range & { text: string }): SummarySentence {
  return { text: c.text, evidence: [{ quote: text.slice(c.start, c.end), start: c.start, end: c.end }] };
}

function clampMax(maxSentences: number): number {
  if (Number.isNaN(maxSentences)) return DEFAULT_MAX_SENTENCES;
  return Math.min(MAX_SENTENCES_LIMIT, Math.max(1, Math.trunc(maxSentences)));
}

/**
 * The key sentences of a citizen's request (what is asked, about what, by when), in source order, at
 * most `maxSentences` (clamped to 1..10). Empty for a text without a letter or digit; otherwise at
 * least one sentence, the first of the body when no sentence scores.
 */
export function summariseExtractive(text: string, maxSentences = DEFAULT_MAX_SENTENCES): SummarySentence[] {
  const k = clampMax(maxSentences);
  const lines = readLines(text, 0, Math.min(text.length, HEAD_LIMIT));
  const { subjects, body } = layOut(text, lines);
  const sentences = bodyCandidates(text, splitBody(text, body));

  // A subject repeated as the first sentence (or the other way round) is said once, where it comes first.
  const seen = new Set<string>();
  const candidates = [...subjects, ...sentences]
    .sort((a, b) => a.start - b.start)
    .filter((c) => {
      const key = fold(collapse(text.slice(c.start, c.end)));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });

  const picked = pickBest(candidates, k);
  if (picked.length > 0) return picked.map((c) => toSentence(text, c));
  const fallback = sentences[0] ?? subjects[0];
  if (fallback) return [toSentence(text, fallback)];
  const first = firstWordSentence(text);
  return first ? [toSentence(text, { ...first, text: collapse(text.slice(first.start, first.end)) })] : [];
}
