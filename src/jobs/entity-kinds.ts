/**
 * The kinds of entity the gateway recognises, named once: the rules analyser and the pseudonymiser
 * use them, and profiles name them in extract schemas with the `x-entity` keyword, which the
 * catalog checks when it loads (so the list lives below both).
 */
export const ENTITY_KINDS = [
  'date',
  'aktenzeichen',
  'iban',
  'email',
  'phone',
  'address',
  'steuer-id',
  'steuernummer',
  'sozialversicherungsnummer',
  'birth-date',
  'person-name',
  'kassenzeichen',
  'amount',
  'bescheid-date',
] as const;

export type EntityKind = (typeof ENTITY_KINDS)[number];

/** JSON Schema keyword that names the recogniser for a property, e.g. `"x-entity": "iban"`. */
export const ENTITY_KEYWORD = 'x-entity';

export function isEntityKind(value: unknown): value is EntityKind {
  return ENTITY_KINDS.some((kind) => kind === value);
}

/**
 * Every `x-entity` in a JSON Schema that names no known kind, with its JSON pointer. Iterative and
 * bounded by the schema's size (schemas are checked for size and depth before they get here).
 */
export function unknownEntityKinds(schema: unknown): Array<{ pointer: string; value: unknown }> {
  const out: Array<{ pointer: string; value: unknown }> = [];
  const stack: Array<[unknown, string]> = [[schema, '']];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, pointer] = item;
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (key === ENTITY_KEYWORD && !isEntityKind(child)) out.push({ pointer: at, value: child });
      else stack.push([child, at]);
    }
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : 1));
}
