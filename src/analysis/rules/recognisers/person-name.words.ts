/**
 * The words the person-name recogniser reads by: cues that announce a name, and words that are never
 * one (function words, offices, firms, streets, institutions). Keys are lower case without
 * diacritics (name-gazetteer.ts `nameKey`). Kept apart from the algorithm so that a word is added
 * here, not in the code that reads.
 */

import { ARTICLES } from '../text-normalise.js';

/** Articles that are a particle only after one (`von der`, `van den`). */
export const SECOND_PARTICLES = new Set(['der', 'den', 'dem']);

/** Particles inside a name (`Karl von Bergen`, `Jan van der Berg`, `Ahmad al Masri`); never its end. */
export const PARTICLES = new Set([
  'von',
  'van',
  'der',
  'den',
  'de',
  'dem',
  'zu',
  'zur',
  'vom',
  'ten',
  'ter',
  'al',
  'el',
  'da',
  'di',
  'del',
  'dos',
  'du',
  'la',
  'le',
  'bin',
  'ibn',
  'abu',
]);

/** Titles that open a name and belong to its quote. Keys of the words, a dot after each. */
export const TITLES = new Set([
  'dr',
  'prof',
  'med',
  'dent',
  'vet',
  'jur',
  'rer',
  'nat',
  'pol',
  'phil',
  'habil',
  'dipl',
  'ing',
  'mag',
  'sc',
  'msc',
  'ba',
  'ma',
]);

/**
 * Words that are never a name or a name's part, whatever the gazetteer says: function words,
 * months and days, offices and the nouns of administrative letters. Keys.
 */
export const NEVER = new Set(
  (
    'der die das den dem des ein eine einer einem eines und oder aber mit von vom zum zur im am an auf aus bei bis fur ' +
    'gegen in nach ohne seit uber um unter vor wegen zu zwischen als wie so da wo ich du er sie es wir ihr ihre ihnen ' +
    'mein meine sein seine unser unsere dies diese dieser dieses jede jeder alle bitte dank vielen sehr geehrte geehrter ' +
    'liebe lieber hallo guten tag hiermit herr herrn frau fraulein montag dienstag mittwoch donnerstag freitag samstag ' +
    'sonntag heute morgen agentur ra rain ihres ihrem ihren ihrer hilfe tel fax mobil handy ist sind war hat habe bin wird ' +
    'wurde kann muss nicht auch noch schon nur bg nummer nr sondern denn weil dass wenn ob ' +
    'burgermeister burgermeisterin oberburgermeister oberburgermeisterin prasident prasidentin minister ministerin ' +
    'vorsitzende vorsitzender kollege kollegin rechtsanwalt rechtsanwaltin anwalt anwaltin landrat landratin richterin ' +
    'direktor direktorin staatssekretar abgeordnete abgeordneter sachbearbeiter sachbearbeiterin notar notarin ' +
    'architekt architektin antrag bescheid widerspruch bauantrag stadt gemeinde landkreis amt behorde antragsteller ' +
    'antragstellerin bauherr bauherrin eigentumer eigentumerin vorname nachname name art mark will grusse gruss ' +
    'freundlichen freundliche mfg anlage anlagen betreff datum telefon fax mail email strasse str weg platz allee ' +
    'gasse ring damm ufer gmbh ag kg ohg ug mbh gbr ev eg co bau team service verwaltung abteilung referat ' +
    'sachgebiet fachbereich jobcenter finanzamt bauamt standesamt ordnungsamt burgeramt kasse stadtkasse landesamt ' +
    'kreis bezirk land bund deutschland ihr ihre euer eure kind kinder sohn tochter mutter vater ehefrau ehemann ' +
    'gez ia iv zhd hd nr az kontoinhaber kontoinhaberin geb geboren wohnhaft'
  ).split(' '),
);

/** Months: never the start of a name, but a part after a name (`Nguyen Thi Mai`) when no day number follows. */
export const MONTHS = new Set([
  'januar',
  'februar',
  'marz',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'dezember',
]);

/** Words before a later mention that make it a word or a firm (`im Sommer`, `einen Wolf`, `Kanzlei Vogel`). Keys. */
export const NOT_BEFORE_ECHO = new Set([
  ...ARTICLES,
  'im',
  'am',
  'vom',
  'zum',
  'beim',
  'ins',
  'kein',
  'keinen',
  'kanzlei',
  'steuerkanzlei',
  'ingenieurburo',
  'buro',
  'architekturburo',
  'hausverwaltung',
  'firma',
  'praxis',
  'apotheke',
  'autohaus',
  'bestattungen',
  'bestattungshaus',
]);

/** Endings of institutions (`Landratsamt`, `Familienkasse`, `Rhein-Erft-Kreis`) and of adjectives before them (`Hessisches`). */
export const INSTITUTION_END =
  /(?:amt|amter|behorde|kasse|kreis|agentur|verwaltung|ministerium|gericht|zentrum|schule|universitat|hochschule|bank|sparkasse|versicherung|werke|bezirk|region|gemeinde|stadt|dienst|zentrale|direktion|prasidium|kammer|verband|verein|institut|buro|kanzlei|klinik|klinikum|krankenhaus|apotheke|jobcenter|isches|ische|ischer|ischen)$/;

/** Lower-case words a lower-case writer puts after a cue that are no name. */
export const COMMON_LOWER = new Set([
  'alles',
  'gut',
  'nichts',
  'noch',
  'schon',
  'auch',
  'nur',
  'leider',
  'jetzt',
  'dann',
  'wieder',
  'sehr',
  'mal',
  'ok',
  'okay',
  'kein',
  'keine',
  'etwas',
  'viel',
  'viele',
  'mehr',
  'hier',
  'da',
  'aus',
  'wegen',
  'nochmal',
  'vielmals',
  'schön',
  'schon',
  'euch',
  'dir',
  'dich',
  'mich',
  'mir',
  'uns',
  'ihnen',
  'sie',
  'es',
  'ist',
  'war',
  'habe',
  'hat',
  'bin',
  'wird',
  'wurde',
  'kann',
  'muss',
  'soll',
  'will',
  'möchte',
  'mochte',
  'bitte',
  'gruss',
  'grusse',
]);

/** Court and street words before a name that make it a place or a street (`VG Gelsenkirchen`, `Str. Mihai Eminescu 45`). Keys. */
export const COURT_BEFORE = new Set(['vg', 'ovg', 'lg', 'ag', 'olg', 'sg', 'lsg', 'bsg', 'fg', 'bfh', 'bverwg']);
export const PLACE_BEFORE = new Set([
  'str',
  'strada',
  'ul',
  'ulica',
  'via',
  'rue',
  'rua',
  'calle',
  'pagode',
  'bul',
  'cad',
  'caddesi',
  'sokak',
  'mah',
  'avenida',
  'avenue',
  'kita',
  'restaurant',
  'imbiss',
  'cafe',
  'bistro',
  'hotel',
  'pension',
  'kirche',
  'moschee',
  'schule',
  'gymnasium',
]);

/** Words after a name that make it a firm's name (`Koch Bau GmbH`, `Müller & Partner`). Keys. */
export const FIRM = new Set([
  'moschee',
  'kirche',
  'tempel',
  'corner',
  'gmbh',
  'ag',
  'kg',
  'ohg',
  'ug',
  'mbh',
  'gbr',
  'ev',
  'eg',
  'co',
  'bau',
  'immobilien',
  'consulting',
  'architekten',
  'partner',
  'partnerschaft',
  'verlag',
  'stiftung',
  'holding',
  'logistik',
  'transporte',
  'elektro',
  'sanitar',
  'gartenbau',
  'handel',
  'service',
  'services',
  'gruppe',
  'group',
  'kanzlei',
  'apotheke',
  'praxis',
  'logistics',
  'bv',
  'ltd',
  'inc',
  'llc',
  'srl',
  'sarl',
  'spa',
  'handy',
  'reparatur',
]);

/** Street words: a name before them is a street's (`Hans-Böckler-Straße`, `Anne Frank Platz`). */
export const STREET_END =
  /(?:strasse|str|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|wall|graben|hof|brucke|park|road|street|lane|straat|caddesi|sokak)$/;

/** Endings of German nouns that are rarely a surname unless the gazetteer knows it. */
export const NOUN_END =
  /(?:ung|heit|keit|schaft|tion|tat|ismus|ment|antrag|bescheid|verfahren|gebuhr|gebuhren|amt|stelle|unterlagen|nachweis|vertrag|erklarung|zeichen)$/;

/**
 * - salutation, title, kin (`Herr`, `Dr.`, `Rechtsanwältin`, `Tochter`, `geb.`): a name follows, however
 *   short or unknown;
 * - role (`Antragsteller:`, `Ich,`): a form field takes any name, prose needs one the gazetteer knows;
 * - closing (`Mit freundlichen Grüßen`, `In dem Rechtsstreit`): the name may stand on the next line;
 * - greeting (`Hallo`, `Liebe`): a name on the same line, one the gazetteer knows or no German word
 *   (`Liebe Susanne`, not `Liebe Kolleginnen`).
 */
export type CueKind = 'salutation' | 'role' | 'closing' | 'title' | 'kin' | 'greeting';

/** Cues as word-key sequences; the longest that matches at a word wins. */
export const CUES: readonly (readonly [readonly string[], CueKind])[] = [
  [['herr'], 'salutation'],
  [['rechtsanwalt'], 'salutation'],
  [['rechtsanwaltin'], 'salutation'],
  [['notar'], 'salutation'],
  [['notarin'], 'salutation'],
  [['staatsanwalt'], 'salutation'],
  [['staatsanwaltin'], 'salutation'],
  [['dolmetscher'], 'salutation'],
  [['dolmetscherin'], 'salutation'],
  [['wir'], 'role'],
  [['rechtsstreit'], 'closing'],
  [['verwaltungsstreitsache'], 'closing'],
  [['verwaltungsrechtssache'], 'closing'],
  [['rechtssache'], 'closing'],
  [['familiensache'], 'closing'],
  [['strafsache'], 'closing'],
  [['streitsache'], 'closing'],
  [['klagesache'], 'closing'],
  [['sozialrechtssache'], 'closing'],
  [['tochter'], 'kin'],
  [['sohn'], 'kin'],
  [['sohnes'], 'kin'],
  [['kinder'], 'kin'],
  [['kindern'], 'kin'],
  [['ehefrau'], 'kin'],
  [['ehemann'], 'kin'],
  [['ehemannes'], 'kin'],
  [['mutter'], 'kin'],
  [['vater'], 'kin'],
  [['bruder'], 'kin'],
  [['schwester'], 'kin'],
  [['enkel'], 'kin'],
  [['enkelin'], 'kin'],
  [['mann'], 'kin'],
  [['herrn'], 'salutation'],
  [['hr'], 'salutation'],
  [['fr'], 'salutation'],
  [['richter'], 'salutation'],
  [['richterin'], 'salutation'],
  [['rechtspfleger'], 'salutation'],
  [['rechtspflegerin'], 'salutation'],
  [['standesbeamter'], 'salutation'],
  [['standesbeamtin'], 'salutation'],
  [['kollege'], 'salutation'],
  [['kollegin'], 'salutation'],
  [['hallo'], 'greeting'],
  [['liebe'], 'greeting'],
  [['lieber'], 'greeting'],
  [['hi'], 'greeting'],
  [['moin'], 'greeting'],
  [['servus'], 'greeting'],
  [['frau'], 'salutation'],
  [['z', 'hd'], 'salutation'],
  [['zhd'], 'salutation'],
  [['eheleute'], 'salutation'],
  [['familie'], 'salutation'],
  [['anwesend'], 'kin'],
  [['anwesende'], 'kin'],
  [['teilnehmende'], 'kin'],
  [['teilnehmer'], 'kin'],
  [['teilnehmerinnen'], 'kin'],
  [['entschuldigt'], 'kin'],
  [['abwesend'], 'kin'],
  [['verteiler'], 'kin'],
  [['gez'], 'closing'],
  [['i', 'a'], 'closing'],
  [['i', 'v'], 'closing'],
  [['ia'], 'closing'],
  [['mit', 'freundlichen', 'grussen'], 'closing'],
  [['mit', 'freundlichem', 'gruss'], 'closing'],
  [['freundliche', 'grusse'], 'closing'],
  [['viele', 'grusse'], 'closing'],
  [['beste', 'grusse'], 'closing'],
  [['herzliche', 'grusse'], 'closing'],
  [['liebe', 'grusse'], 'closing'],
  [['mfg'], 'closing'],
  [['hochachtungsvoll'], 'closing'],
  [['im', 'auftrag'], 'closing'],
  [['in', 'vertretung'], 'closing'],
  [['lg'], 'closing'],
  [['vg'], 'closing'],
  [['gruss'], 'closing'],
  [['grusse'], 'closing'],
  [['danke'], 'closing'],
  [['obrigada'], 'closing'],
  [['saludos'], 'closing'],
  [['pozdrawiam'], 'closing'],
  [['pozdrav'], 'closing'],
  [['cordialement'], 'closing'],
  [['regards'], 'closing'],
  [['saygilarimla'], 'closing'],
  [['selamlar'], 'closing'],
  [['obrigado'], 'closing'],
  [['ra'], 'salutation'],
  [['rain'], 'salutation'],
  [['ich', 'bin'], 'role'],
  [['ich', 'heisse'], 'role'],
  [['mein', 'name', 'ist'], 'role'],
  [['hier', 'ist'], 'role'],
  [['hier', 'spricht'], 'role'],
  [['hiermit', 'beantrage', 'ich'], 'role'],
  [['hiermit', 'beantragen', 'wir'], 'role'],
  [['hiermit', 'lege', 'ich'], 'role'],
  [['ich'], 'role'],
  [['vertreten', 'durch'], 'role'],
  [['geb'], 'kin'],
  [['geborene'], 'kin'],
  [['dr'], 'title'],
  [['prof'], 'title'],
  [['dipl', 'ing'], 'title'],
];

/** Cues of lists of persons (`Anwesend: Fischer, Güneş, Albers`): a comma separates names, even after a colon. Keys. */
export const PERSON_LISTS = new Set([
  'anwesend',
  'anwesende',
  'teilnehmende',
  'teilnehmer',
  'teilnehmerinnen',
  'entschuldigt',
  'abwesend',
  'verteiler',
]);

/** Officials named by their office before the name (`Richterin am Landgericht Nguyen`): the court after `am` is skipped. */
export const OFFICIALS = new Set(['richter', 'richterin', 'rechtspfleger', 'rechtspflegerin']);

/** Salutation cues that are offices or groups (`Richter Schmitz`, `Familie Darwish`): in prose, followed by a lower-case word, no name. Keys. */
export const OFFICE_CUES = new Set([
  ...OFFICIALS,
  'standesbeamter',
  'standesbeamtin',
  'kollege',
  'kollegin',
  'familie',
]);

/** Role words, with their feminine and `(in)` forms; a colon or blank follows. Keys. */
export const ROLES = new Set(
  (
    'antragsteller antragstellerin bauherr bauherrin widerspruchsfuhrer widerspruchsfuhrerin klager klagerin beklagte ' +
    'beklagter eigentumer eigentumerin grundstuckseigentumer grundstuckseigentumerin bevollmachtigte bevollmachtigter ' +
    'kontoinhaber kontoinhaberin inhaber inhaberin name vorname nachname familienname geburtsname zuname ' +
    'ansprechpartner ansprechpartnerin sachbearbeiter sachbearbeiterin bearbeiter bearbeiterin verfasser verfasserin ' +
    'absender absenderin mieter mieterin vermieter vermieterin erziehungsberechtigte erziehungsberechtigter ' +
    'ehemann ehefrau ehegatte ehegattin sohn tochter kind schuler schulerin verstorbene verstorbener erblasser ' +
    'erblasserin zeuge zeugin halter halterin betroffene betroffener beteiligte beteiligter unterzeichner ' +
    'unterzeichnerin vollmachtgeber vollmachtgeberin auftraggeber auftraggeberin patient patientin mitglied ' +
    'empfanger empfangerin unterschrift vertreter vertreterin vornamen sachbearbeitung haushaltsangehorige ' +
    'haushaltsangehoriger angehorige angehoriger ehegatten entwurfsverfasser entwurfsverfasserin steuerpflichtige ' +
    'steuerpflichtiger versicherte versicherter leistungsberechtigte leistungsberechtigter'
  ).split(' '),
);

/** Nouns of offices and jobs after a comma (`Klein, Rechtspflegerin`): not a given name. Keys. */
export const OFFICE_END =
  /(?:erin|ierin|beschaftigte|beschaftigter|beamtin|beamter|angestellte|angestellter|leiterin|leiter|referentin|referent)$/;
