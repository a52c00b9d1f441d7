import { type SummarySentence, summariseExtractive } from '../../src/analysis/rules/extractive-summary.js';
import { HOSTILE_TEXTS } from '../support/hostile-texts.js';

/** Every sentence rests on exactly one span whose quote is the source text at its offsets. */
function expectGrounded(text: string, sentences: readonly SummarySentence[]): void {
  let lastStart = -1;
  for (const s of sentences) {
    expect(s.evidence).toHaveLength(1);
    const [span] = s.evidence;
    if (!span) throw new Error('no evidence');
    expect(span.start).toBeGreaterThanOrEqual(0);
    expect(span.end).toBeGreaterThan(span.start);
    expect(text.slice(span.start, span.end)).toBe(span.quote);
    // The sentence is its quote, whitespace-collapsed (a subject line also names its field).
    expect(s.text.endsWith(span.quote.replace(/\s+/g, ' ').trim())).toBe(true);
    expect(s.text).not.toMatch(/\s{2}|^\s|\s$/);
    // Source order.
    expect(span.start).toBeGreaterThan(lastStart);
    lastStart = span.start;
  }
}

function texts(text: string, maxSentences?: number): string[] {
  const sentences = summariseExtractive(text, maxSentences);
  expectGrounded(text, sentences);
  return sentences.map((s) => s.text);
}

const WIDERSPRUCH =
  'Hiermit lege ich Widerspruch gegen Ihren Wohngeldbescheid vom 12.11.2026 (Aktenzeichen WG-2026-04711) ein.';

const MAIL = `Von: Erika Mustermann <erika.mustermann@example.org>
Gesendet: Montag, 16. November 2026 09:14
An: wohngeld@musterstadt.de
Betreff: Widerspruch Wohngeldbescheid Az. WG-2026-04711

Sehr geehrte Damen und Herren,

${WIDERSPRUCH} Die Berechnung berücksichtigt nicht, dass mein Sohn seit dem 1. Oktober wieder bei mir wohnt.
Ich bitte um Überprüfung und Neuberechnung bis zum 15.12.2026.

Für Rückfragen stehe ich gerne zur Verfügung.

Mit freundlichen Grüßen
Erika Mustermann
Lindenweg 4
12345 Musterstadt
Tel. 0123 456789

Am 12.11.2026 schrieb Wohngeldstelle Musterstadt <wohngeld@musterstadt.de>:
> Sehr geehrte Frau Mustermann,
> anbei erhalten Sie Ihren Bescheid vom 12.11.2026. Gegen diesen Bescheid können Sie Widerspruch einlegen.
> Ich beantrage die Akteneinsicht nach Art. 15 DSGVO bis zum 1.12.2026.
`;

describe('summariseExtractive', () => {
  describe('e-mail', () => {
    it('picks the subject and the request, never headers, salutation, closing, signature or quoted history', () => {
      expect(texts(MAIL)).toEqual([
        'Betreff: Widerspruch Wohngeldbescheid Az. WG-2026-04711',
        WIDERSPRUCH,
        'Ich bitte um Überprüfung und Neuberechnung bis zum 15.12.2026.',
      ]);
    });

    it('puts the evidence of the subject on its value', () => {
      const [subject] = summariseExtractive(MAIL);
      expect(subject?.evidence[0]?.quote).toBe('Widerspruch Wohngeldbescheid Az. WG-2026-04711');
    });

    it('never returns quoted history, signature or politeness, even with room for ten sentences', () => {
      const all = texts(MAIL, 10);
      expect(all).toContain(WIDERSPRUCH);
      for (const t of all) {
        expect(t).not.toMatch(/Akteneinsicht|anbei|Lindenweg|Tel\.|Grüßen|Rückfragen|Sehr geehrte|Von:|Gesendet/);
      }
    });

    it('stops at a signature delimiter, an Outlook quote and an "Ursprüngliche Nachricht" line', () => {
      const body = 'Hallo,\r\n\r\nich ziehe meinen Antrag auf Anwohnerparken vom 3. Februar 2026 zurück.\r\n';
      for (const tail of [
        '-- \r\nMax Mustermann\r\nBitte beantragen Sie Akteneinsicht für Ihre Frist.\r\n',
        '________________________________\r\nVon: Bürgeramt\r\nGesendet: Montag\r\nBitte beantragen Sie Ihren Antrag bis zum 1.3.2026.\r\n',
        '-----Ursprüngliche Nachricht-----\r\nVon: Bürgeramt\r\nIhr Antrag vom 3. Februar 2026 ist eingegangen.\r\n',
        'Von: Bürgeramt <info@musterstadt.de>\r\nGesendet: Montag, 2. Februar 2026\r\nIhr Antrag vom 3. Februar 2026 ist eingegangen.\r\n',
        '> Ihr Antrag vom 3. Februar 2026 ist eingegangen. Bitte zahlen Sie die Gebühr bis zum 1.3.2026.\r\n',
      ]) {
        expect(texts(body + tail, 10)).toEqual([
          'ich ziehe meinen Antrag auf Anwohnerparken vom 3. Februar 2026 zurück.',
        ]);
      }
    });

    it('reads a quote introduction wrapped over two lines as the start of quoted history', () => {
      const text =
        'Guten Tag,\n\nbitte senden Sie mir eine Meldebescheinigung.\n\nAm Mo., 16. Nov. 2026 um 09:14 Uhr\nschrieb Bürgeramt <info@musterstadt.de>:\n> Ihr Antrag auf Wohngeld ist eingegangen.\n';
      expect(texts(text, 10)).toEqual(['bitte senden Sie mir eine Meldebescheinigung.']);
    });

    it('keeps a postscript after the closing', () => {
      const text =
        'Hallo,\n\nich bin am 1. März 2026 in die Lindenstraße 5 umgezogen.\n\nViele Grüße\nMax\n\nPS: Meine Bankverbindung für die Rückzahlung hat sich ebenfalls geändert.\n';
      expect(texts(text, 10)).toEqual([
        'ich bin am 1. März 2026 in die Lindenstraße 5 umgezogen.',
        'PS: Meine Bankverbindung für die Rückzahlung hat sich ebenfalls geändert.',
      ]);
    });

    it('ignores an uninformative subject and reply prefixes do not make one informative', () => {
      const text =
        'Betreff: AW: Anfrage\n\nGuten Tag,\n\nich beantrage eine Fristverlängerung für die Abgabe der Unterlagen bis zum 31.01.2027.\n';
      expect(texts(text)).toEqual([
        'ich beantrage eine Fristverlängerung für die Abgabe der Unterlagen bis zum 31.01.2027.',
      ]);
    });

    it('joins a hard-wrapped sentence over its line breaks', () => {
      const text = [
        'Sehr geehrte Damen und Herren,',
        '',
        'hiermit beschwere ich mich über die Müllabfuhr in der Lindenstraße, die seit dem',
        '3. November 2026 nicht mehr gekommen ist, obwohl ich die Gebühren von 240 EUR',
        'pünktlich gezahlt habe. Bitte sorgen Sie für eine Abholung bis Ende der Woche.',
      ].join('\n');
      expect(texts(text)).toEqual([
        'hiermit beschwere ich mich über die Müllabfuhr in der Lindenstraße, die seit dem 3. November 2026 nicht mehr gekommen ist, obwohl ich die Gebühren von 240 EUR pünktlich gezahlt habe.',
        'Bitte sorgen Sie für eine Abholung bis Ende der Woche.',
      ]);
    });

    it('splits lines the writer broke on purpose', () => {
      const text =
        'Antrag auf Akteneinsicht\nGemäß Art. 15 DSGVO bitte ich um Auskunft über alle zu meiner Person gespeicherten Daten und um eine Kopie der Akte.\n';
      expect(texts(text)).toEqual([
        'Antrag auf Akteneinsicht',
        'Gemäß Art. 15 DSGVO bitte ich um Auskunft über alle zu meiner Person gespeicherten Daten und um eine Kopie der Akte.',
      ]);
    });
  });

  describe('web form', () => {
    const FORM = `Kontaktformular Bürgerservice
Name: Max Mustermann
E-Mail: max.mustermann@example.org
Telefon:
Straße: Musterweg 3
PLZ/Ort: 12345 Musterstadt
Anliegen: Ummeldung nach Umzug
Nachricht: Guten Tag, ich bin zum 1. März 2026 innerhalb von Musterstadt umgezogen. Meine neue Adresse lautet Lindenweg 4, 12345 Musterstadt.
Bitte teilen Sie mir mit, ob ich für die Ummeldung einen Termin brauche.
Datenschutz: akzeptiert
`;

    it('picks the Anliegen and sentences of the Nachricht, never the other fields', () => {
      expect(texts(FORM)).toEqual([
        'Anliegen: Ummeldung nach Umzug',
        'ich bin zum 1. März 2026 innerhalb von Musterstadt umgezogen.',
        'Bitte teilen Sie mir mit, ob ich für die Ummeldung einen Termin brauche.',
      ]);
      for (const t of texts(FORM, 10)) {
        expect(t).not.toMatch(/^(?:Name|E-Mail|Telefon|Straße|PLZ|Datenschutz|Kontaktformular)/);
      }
    });

    it('reads a message on the lines after an empty Nachricht label', () => {
      const text =
        'Vorname*: Erika\nNachname*: Mustermann\nE-Mail (optional):\nNachricht:\nSehr geehrte Damen und Herren,\nich habe eine Mahnung über 35,50 € erhalten, obwohl ich den Betrag am 2.10.2026 überwiesen habe.\nBitte nehmen Sie die Mahnung zurück.\n';
      expect(texts(text)).toEqual([
        'ich habe eine Mahnung über 35,50 € erhalten, obwohl ich den Betrag am 2.10.2026 überwiesen habe.',
        'Bitte nehmen Sie die Mahnung zurück.',
      ]);
    });
  });

  describe('letter', () => {
    const LETTER = `Max Mustermann
Musterweg 3
12345 Musterstadt

Stadt Musterstadt
Steueramt
Rathausplatz 1
12345 Musterstadt

Musterstadt, 20.11.2026

Widerspruch gegen den Grundsteuerbescheid vom 3. November 2026
Kassenzeichen 4711.0815.2026

Sehr geehrte Damen und Herren,

gegen den oben genannten Bescheid lege ich fristgerecht Widerspruch ein. Der Bescheid geht von einer Wohnfläche von 180 m² aus, tatsächlich sind es laut Bauakte ca. 120 m². Ich beantrage daher die Aussetzung der Vollziehung gem. § 361 AO bzw. die Stundung des Betrags von 1.234,56 € bis zur Entscheidung über den Widerspruch.

Mit freundlichen Grüßen

Max Mustermann
`;

    it('takes the subject line, skips the address block and the date line', () => {
      expect(texts(LETTER)).toEqual([
        'Widerspruch gegen den Grundsteuerbescheid vom 3. November 2026 Kassenzeichen 4711.0815.2026',
        'gegen den oben genannten Bescheid lege ich fristgerecht Widerspruch ein.',
        'Ich beantrage daher die Aussetzung der Vollziehung gem. § 361 AO bzw. die Stundung des Betrags von 1.234,56 € bis zur Entscheidung über den Widerspruch.',
      ]);
      for (const t of texts(LETTER, 10)) expect(t).not.toMatch(/Musterweg|Rathausplatz|Steueramt|20\.11\.2026|Grüßen/);
    });
  });

  describe('sentence splitting', () => {
    it('does not split at abbreviations, ordinals, dates or numbers', () => {
      const sentences = [
        'bitte rufen Sie mich z. B. am Montag an.',
        'Mein Az. WG-2026-04711 betrifft vgl. Ihr Schreiben vom 3. Februar 2026.',
        'Die Zahlung i. V. m. Nr. 5 erfolgt an Dr. Müller in der Hauptstr. 5 in Musterstadt.',
        'Der Betrag von 1.234,56 EUR ist am 12.11.2026 fällig, d. h. in einer Woche.',
        'Gilt das u. a. auch für St. Georg und ggf. Abs. 2 sowie Art. 3 inkl. Tel. Nr. 12?',
        'Die Frist endet ca. Mitte Dezember bzw. gem. Ihrem Schreiben am 15.12.',
      ];
      expect(texts(`Guten Tag,\n${sentences.join(' ')}`, 10)).toEqual(sentences);
    });

    it('splits at full stops, question and exclamation marks before a capital letter', () => {
      const text =
        'Ich beantrage einen Termin für die Eheschließung! Ist der 12. Juni 2027 noch frei? Wir möchten im Rathaus heiraten. "Geht das auch samstags?" Bitte um kurze Rückmeldung.';
      expect(texts(text, 10)).toEqual([
        'Ich beantrage einen Termin für die Eheschließung!',
        'Ist der 12. Juni 2027 noch frei?',
        'Wir möchten im Rathaus heiraten.',
        '"Geht das auch samstags?"',
        'Bitte um kurze Rückmeldung.',
      ]);
    });
  });

  describe('limits', () => {
    const MANY = Array.from(
      { length: 15 },
      (_, i) =>
        `Ich beantrage die Erstattung der Gebühr Nr. ${i + 1} in Höhe von ${i + 10},00 € bis zum 1.${(i % 12) + 1}.2027.`,
    ).join(' ');

    it('returns at most maxSentences, clamped to 1..10, by default 3', () => {
      expect(summariseExtractive(MANY)).toHaveLength(3);
      expect(summariseExtractive(MANY, 5)).toHaveLength(5);
      expect(summariseExtractive(MANY, 100)).toHaveLength(10);
      expect(summariseExtractive(MANY, 0)).toHaveLength(1);
      expect(summariseExtractive(MANY, -3)).toHaveLength(1);
      expect(summariseExtractive(MANY, Number.NaN)).toHaveLength(3);
      expect(summariseExtractive(MANY, 2.7)).toHaveLength(2);
      expectGrounded(MANY, summariseExtractive(MANY, 10));
    });

    it('with one sentence returns the most telling one', () => {
      expect(texts(MAIL, 1)).toEqual([WIDERSPRUCH]);
    });

    it('is deterministic', () => {
      expect(summariseExtractive(MAIL, 10)).toEqual(summariseExtractive(MAIL, 10));
    });

    it('returns nothing for empty or blank text', () => {
      expect(summariseExtractive('')).toEqual([]);
      expect(summariseExtractive(' \n\t\r\n \u00a0 ')).toEqual([]);
      expect(summariseExtractive('... --- !!!')).toEqual([]);
    });

    it('returns at least one sentence for a text with a word, even without a cue', () => {
      expect(texts('Hallo')).toEqual(['Hallo']);
      expect(texts('ok.')).toEqual(['ok.']);
      expect(texts('Mit freundlichen Grüßen\nMax Mustermann')).toEqual(['Mit freundlichen Grüßen']);
      expect(texts('> Ihr Antrag ist eingegangen.')).toEqual(['> Ihr Antrag ist eingegangen.']);
      expect(texts('Betreff: Anfrage\n\nVielen Dank!')).toEqual(['Vielen Dank!']);
    });
  });

  describe('hostile input of 1 MB', () => {
    const MB = 1 << 20;
    const repeatTo = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length));
    const inputs: Record<string, string> = {
      oneCharacter: repeatTo('a'),
      dots: repeatTo('.'),
      newlines: repeatTo('\n'),
      crlf: repeatTo('\r\n'),
      spacesThenWord: `${' '.repeat(MB)}Antrag`,
      dotsThenWord: `${'.'.repeat(MB)} Antrag`,
      abbreviations: repeatTo('z. B. '),
      shortSentences: repeatTo('Ab. '),
      questions: repeatTo('?'),
      salutations: repeatTo('Hallo,\n'),
      closings: repeatTo('Viele Grüße\n'),
      headers: repeatTo('Von: x\n'),
      fields: repeatTo('Name: Max\n'),
      quoteIntros: repeatTo('Am Montag schrieb '),
      quoted: repeatTo('> '),
      cues: repeatTo('Antrag Widerspruch 12.11.2026 1.234,56 € bis zum '),
      ...Object.fromEntries(
        Object.entries(HOSTILE_TEXTS).map(([name, make]) => [name, make(Math.ceil(MB / make(1).length))]),
      ),
    };

    it.each(Object.entries(inputs))('%s', (_name, text) => {
      const sentences = summariseExtractive(text);
      expect(Array.isArray(sentences)).toBe(true);
      expect(sentences.length).toBeLessThanOrEqual(3);
      if (/[\p{L}\p{N}]/u.test(text)) expect(sentences.length).toBeGreaterThanOrEqual(1);
      expectGrounded(text, sentences);
    });
  });
});
