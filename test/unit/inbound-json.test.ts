import { jsonAsForm } from '../../src/delivery/inbound.js';

/** JSON Fachdaten of an online service, read as a request's form lines (issue #18). */
describe('JSON Fachdaten as form lines', () => {
  it('names every value by its path, in order, lists numbered', () => {
    const body = Buffer.from(
      JSON.stringify({
        antragsteller: { vorname: 'Erika', familienname: 'Mustermann' },
        anliegen: 'Bitte um Verlängerung der Frist',
        anlagen: ['Foto', 'Vollmacht'],
        eilig: false,
        leer: null,
      }),
    );
    expect(jsonAsForm(body).split('\n')).toEqual([
      'antragsteller vorname: Erika',
      'antragsteller familienname: Mustermann',
      'anliegen: Bitte um Verlängerung der Frist',
      'anlagen 1: Foto',
      'anlagen 2: Vollmacht',
      'eilig: false',
    ]);
  });

  it('refuses what is not JSON, holds nothing, or nests without end (no recursion)', () => {
    expect(() => jsonAsForm(Buffer.from('{"a":'))).toThrow(/not well-formed/);
    expect(() => jsonAsForm(Buffer.from('{"a":{},"b":[]}'))).toThrow(/no values/);
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    expect(() => jsonAsForm(Buffer.from(deep))).toThrow(/nest deeper/);
  });
});
