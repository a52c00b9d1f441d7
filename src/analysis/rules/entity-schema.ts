import type { JsonSchema } from '../../jobs/finding.js';
import { ENTITY_KEYWORD, isEntityKind, type EntityKind } from '../../jobs/entity-kinds.js';
import { foldGerman } from './text-normalise.js';

function arrayOf(kind: EntityKind, description: string, format?: string): JsonSchema {
  const items: JsonSchema = format === undefined ? { type: 'string' } : { type: 'string', format };
  return Object.freeze({ type: 'array', items: Object.freeze(items), [ENTITY_KEYWORD]: kind, description });
}

/**
 * Default extract task for a part: every entity kind the rules know, as arrays of normalised strings.
 * The pipeline uses it when a profile names no schema of its own.
 */
export const DEFAULT_ENTITY_SCHEMA: Readonly<JsonSchema> = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Entitäten (rules analyser)',
  type: 'object',
  additionalProperties: false,
  properties: Object.freeze({
    daten: arrayOf('date', 'Kalenderdaten, ISO 8601', 'date'),
    aktenzeichen: arrayOf('aktenzeichen', 'Aktenzeichen, Geschäftszeichen, gerichtliche Aktenzeichen'),
    ibans: arrayOf('iban', 'IBAN ohne Leerzeichen, Prüfsumme gültig'),
    emails: arrayOf('email', 'E-Mail-Adressen', 'email'),
    telefonnummern: arrayOf('phone', 'Telefon- und Faxnummern, E.164'),
    anschriften: arrayOf('address', 'Postanschriften (Straße Hausnummer, PLZ Ort)'),
    steuerIds: arrayOf('steuer-id', 'Steuerliche Identifikationsnummern'),
    steuernummern: arrayOf('steuernummer', 'Steuernummern'),
    sozialversicherungsnummern: arrayOf('sozialversicherungsnummer', 'Sozialversicherungs-/Rentenversicherungsnummern'),
    geburtsdaten: arrayOf('birth-date', 'Geburtsdaten, ISO 8601', 'date'),
    personennamen: arrayOf('person-name', 'Personennamen (Vorname Nachname)'),
  }),
});

/**
 * Property-name fragments (folded: lower case, ä→ae, no separators) and the kind they stand for.
 * Order matters: `geburtsdatum` must be read as a birth date and `bescheiddatum` as a Bescheid's date
 * before `datum` makes them a date.
 */
const NAME_HINTS: readonly (readonly [string, EntityKind])[] = [
  ['geburtsdatum', 'birth-date'],
  ['geburtsdaten', 'birth-date'],
  ['geburtstag', 'birth-date'],
  ['birthdate', 'birth-date'],
  ['dateofbirth', 'birth-date'],
  ['bescheiddatum', 'bescheid-date'],
  ['bescheidsdatum', 'bescheid-date'],
  ['bescheiddaten', 'bescheid-date'],
  ['kassenzeichen', 'kassenzeichen'],
  ['buchungszeichen', 'kassenzeichen'],
  ['personenkonto', 'kassenzeichen'],
  ['debitorennummer', 'kassenzeichen'],
  ['aktenzeichen', 'aktenzeichen'],
  ['geschaeftszeichen', 'aktenzeichen'],
  ['filereference', 'aktenzeichen'],
  ['iban', 'iban'],
  ['email', 'email'],
  ['mail', 'email'],
  ['telefon', 'phone'],
  ['phone', 'phone'],
  ['mobil', 'phone'],
  ['telefax', 'phone'],
  ['fax', 'phone'],
  ['anschrift', 'address'],
  ['adresse', 'address'],
  ['address', 'address'],
  ['steuerid', 'steuer-id'],
  ['identifikationsnummer', 'steuer-id'],
  ['taxid', 'steuer-id'],
  ['steuernummer', 'steuernummer'],
  ['sozialversicherungsnummer', 'sozialversicherungsnummer'],
  ['rentenversicherungsnummer', 'sozialversicherungsnummer'],
  ['versicherungsnummer', 'sozialversicherungsnummer'],
  ['svnr', 'sozialversicherungsnummer'],
  ['datum', 'date'],
  ['date', 'date'],
  ['frist', 'date'],
  ['betraege', 'amount'],
  ['betrag', 'amount'],
  ['amount', 'amount'],
  ['personenname', 'person-name'],
  ['antragsteller', 'person-name'],
  ['bauherr', 'person-name'],
  ['name', 'person-name'],
];

/** Exact short property names that fragments would miss or misread. */
const EXACT_NAMES: ReadonlyMap<string, EntityKind> = new Map([
  ['az', 'aktenzeichen'],
  ['gz', 'aktenzeichen'],
  ['kz', 'kassenzeichen'],
  ['tel', 'phone'],
  ['plz', 'address'],
  ['idnr', 'steuer-id'],
]);

/** Fragments of property names that look like a hint but are about something else (file, firm, street names). */
const MISLEADING = [
  'datei',
  'firmenname',
  'behoerdenname',
  'ortsname',
  'strassenname',
  'benutzername',
  'username',
  'filename',
];

/**
 * Which recogniser fills a property: its `x-entity` keyword if it names a known kind, otherwise a
 * hint from the property name (`eingangsdatum` → date, `antragstellerName` → person-name), else none.
 */
export function entityKindForProperty(name: string, schema: unknown): EntityKind | undefined {
  if (typeof schema === 'object' && schema !== null && ENTITY_KEYWORD in schema) {
    const declared: unknown = Reflect.get(schema, ENTITY_KEYWORD);
    if (isEntityKind(declared)) return declared;
  }
  const folded = foldGerman(name).replace(/[^a-z0-9]/g, '');
  const exact = EXACT_NAMES.get(folded);
  if (exact !== undefined) return exact;
  if (MISLEADING.some((m) => folded.includes(m))) return undefined;
  return NAME_HINTS.find(([hint]) => folded.includes(hint))?.[1];
}
