import { recognisePersonNames } from '../../../src/analysis/rules/recognisers/person-name.recogniser.js';

const names = (text: string): string[][] => recognisePersonNames(text).map((m) => [m.quote, m.value]);

describe('recognisePersonNames', () => {
  it('finds names after salutations and titles, the title in the quote and not in the value', () => {
    expect(names('Sehr geehrte Frau Dr. Erika Mustermann, sehr geehrter Herr Müller,')).toEqual([
      ['Dr. Erika Mustermann', 'Erika Mustermann'],
      ['Müller', 'Müller'],
    ]);
    expect(names('Gutachten von Prof. Dr. Hans-Peter Schulze-Wendt')).toEqual([
      ['Prof. Dr. Hans-Peter Schulze-Wendt', 'Hans-Peter Schulze-Wendt'],
    ]);
  });

  it('finds names in the patterns of letters to an authority, of any origin (issue #14)', () => {
    expect(names('hiermit beantrage ich, Ayşe Yılmaz, Wohngeld.')).toEqual([['Ayşe Yılmaz', 'Ayşe Yılmaz']]);
    expect(names('Kontoinhaberin: Nguyen Thi Lan')).toEqual([['Nguyen Thi Lan', 'Nguyen Thi Lan']]);
    expect(names('Mit freundlichen Grüßen\nJürgen Schäfer-Brandt')).toEqual([
      ['Jürgen Schäfer-Brandt', 'Jürgen Schäfer-Brandt'],
    ]);
    expect(names('gez. Dr. med. Katarzyna Nowak')).toEqual([['Dr. med. Katarzyna Nowak', 'Katarzyna Nowak']]);
    expect(names('die Eheleute Anna und Peter Schmidt')).toEqual([
      ['Anna', 'Anna'],
      ['Peter Schmidt', 'Peter Schmidt'],
    ]);
    expect(names('ANTRAGSTELLER/IN\nNAME: PETROV\nVORNAME: DMITRI')).toEqual([
      ['PETROV', 'PETROV'],
      ['DMITRI', 'DMITRI'],
    ]);
    expect(names('viele grüße\nanna schmidt')).toEqual([['anna schmidt', 'anna schmidt']]);
    expect(names('Schäfer-Brandt, Jürgen, geb. 1971')).toEqual([['Schäfer-Brandt, Jürgen', 'Jürgen Schäfer-Brandt']]);
  });

  it('finds names by the German lexicon: words that are no German word beside a known name, other scripts', () => {
    // `Aslan` is a known surname, `Zozan` no German word; neither is known as a pair.
    expect(names('Vorsprache am Montag: Zozan Aslan legte den Pass vor.')).toEqual([['Zozan Aslan', 'Zozan Aslan']]);
    expect(names('Im Vertrag steht Олена Бондаренко.')).toEqual([['Олена Бондаренко', 'Олена Бондаренко']]);
    // A place after `in`, a foreign street after its word: no person.
    expect(names('Der Antrag wurde in Addis Abeba gestellt; Anschrift Rua de Santa Catarina 512.')).toEqual([]);
  });

  it('finds signatures, greetings, address blocks, officials and attendance lists', () => {
    expect(names('Leipzig, 02.03.2026\nHentschel, Justizbeschäftigte')).toEqual([['Hentschel', 'Hentschel']]);
    expect(names('Hallo Jens,\nkannst du das übernehmen?\nPetra')).toEqual([
      ['Jens', 'Jens'],
      ['Petra', 'Petra'],
    ]);
    expect(names('Liebe Kolleginnen und Kollegen,\nbitte beachten.')).toEqual([]);
    expect(names('Herrn\nKarwan Rasul Ahmed\nBünder Str. 17')).toEqual([['Karwan Rasul Ahmed', 'Karwan Rasul Ahmed']]);
    expect(names('beschlossen durch den Richter am Oberverwaltungsgericht Sauer.')).toEqual([['Sauer', 'Sauer']]);
    expect(names('Der Richter wies darauf hin.')).toEqual([]);
    expect(names('Anwesend: Fischer, Güneş, Albers')).toEqual([
      ['Fischer', 'Fischer'],
      ['Güneş', 'Güneş'],
      ['Albers', 'Albers'],
    ]);
    expect(names('Sachbearbeitung VG Berlin; VG Ralf')).toEqual([['Ralf', 'Ralf']]);
    expect(names('Bitte um Rückruf.\n– Okafor')).toEqual([['Okafor', 'Okafor']]);
    expect(names('Vorgang an Bauaufsicht.\nHoffmann')).toEqual([['Hoffmann', 'Hoffmann']]);
    expect(names('Kinder: Abdirahman (geb. 12.12.2017), Ayaan (geb. 30.06.2020)')).toEqual([
      ['Abdirahman', 'Abdirahman'],
      ['Ayaan', 'Ayaan'],
    ]);
    expect(names('Liebe Frau Park,\nvielen Dank.')).toEqual([['Park', 'Park']]);
    expect(names('Sehr geehrte Frau Schulleiterin Dr. Grünewald,')).toEqual([['Dr. Grünewald', 'Grünewald']]);
    expect(names('An die Eheleute\nFatmire und Driton Gashi')).toEqual([
      ['Fatmire', 'Fatmire'],
      ['Driton Gashi', 'Driton Gashi'],
    ]);
    expect(names('muss ich mich abmelden?\nsaludos\nlucía')).toEqual([['lucía', 'lucía']]);
  });

  it('leaves words, firms and streets alone (issue #14)', () => {
    expect(names('Frau Sommer hat im Sommer einen Antrag gestellt.')).toEqual([['Sommer', 'Sommer']]);
    expect(names('Die Koch Bau GmbH und die Goethestraße 5; es war kein Wolf.')).toEqual([]);
    expect(names('Mit freundlichen Grüßen\nFamilienkasse Sachsen')).toEqual([]);
  });

  it('finds names after role words, including "Nachname, Vorname"', () => {
    const text = 'Antragstellerin: Erika Mustermann\nBauherr: Mustermann, Max\nEigentümer Karl von Bergen';
    expect(names(text)).toEqual([
      ['Erika Mustermann', 'Erika Mustermann'],
      ['Mustermann, Max', 'Max Mustermann'],
      ['Karl von Bergen', 'Karl von Bergen'],
    ]);
  });

  it('stops at words that are no names', () => {
    expect(names('Frau Bürgermeisterin hat entschieden. Herr Schmidt Die Unterlagen fehlen.')).toEqual([
      ['Schmidt', 'Schmidt'],
    ]);
  });

  it('prefers precision: no marker, lower-case continuation or a single word after a role → no name', () => {
    expect(names('Der Antragsteller beantragt die Genehmigung. Mustermann wohnt in Köln.')).toEqual([]);
    expect(names('Antragsteller Landkreis')).toEqual([]);
  });
});
