import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, type XoevCatalog } from '../../../src/xoev/catalog.js';
import { AppError } from '../../../src/errors/app-error.js';
import { loadCodeList } from '../../../src/xoev/code-lists.js';
import { DocumentReader } from '../../../src/documents/document-reader.js';
import { DEFAULT_DOCUMENT_LIMITS } from '../../../src/documents/document-limits.js';
import { makeDocxBomb, makePdf } from '../../support/documents.js';
import { compileSchema } from '../../../src/config/json-schema.js';
import { HEADER_DIALECT_NAMES, HEADER_DIALECTS, type HeaderFields } from '../../../src/xoev/header-dialects.js';
import {
  descriptorJsonSchema,
  headerFieldsSchema,
  type StandardDescriptor,
} from '../../../src/xoev/standard-descriptor.js';

const SAMPLES = '/work/shared/xoev-samples';
const FIX = 'test/fixtures/xbau';

interface Verdict {
  file: string;
  schema: string | null;
  xmllint: 'valid' | 'invalid' | 'no-schema';
}
const verdicts: Verdict[] = JSON.parse(readFileSync('test/fixtures/xmllint-verdicts.json', 'utf8'));
const hasXmllint = (() => {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let catalog: XoevCatalog;
beforeAll(async () => {
  catalog = await loadCatalog('xoev-schemas');
});
afterAll(() => catalog.close());

function codeOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** Every `<standard>/<version>` folder with a standard.json: the shipped ones and whatever an integrator added. */
function standardFoldersOnDisk(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .flatMap((d) =>
      readdirSync(join(root, d.name), { withFileTypes: true })
        .filter((v) => v.isDirectory() && existsSync(join(root, d.name, v.name, 'standard.json')))
        .map((v) => `${d.name} ${v.name}`),
    )
    .sort();
}

describe('catalog', () => {
  it('lists every standard folder in xoev-schemas, the shipped ones among them', () => {
    const listed = catalog.standards().map((x) => `${x.standard} ${x.version}`);
    expect(listed).toEqual(standardFoldersOnDisk('xoev-schemas'));
    expect(listed).toEqual(expect.arrayContaining(['xbau 2.6', 'xdomea 2.4.0', 'xdomea 3.0.0', 'xjustiz 3.5.1']));
    for (const s of catalog.standards()) expect(s.messageTypes.length).toBeGreaterThan(0);
  });
  it('knows the shipped XBau profile and code lists', () => {
    const xbau = catalog.standards().find((x) => x.standard === 'xbau' && x.version === '2.6');
    expect(xbau?.messageTypes).toContain('baugenehmigung.antrag.0200');
    expect(xbau?.profiles).toEqual(['baugenehmigung.antrag.0200']);
    expect(catalog.codeList('urn:xoev-de:xbau:codeliste:anlagen')?.listVersionID).toBe('3.0');
  });
  it("an added standard folder keeps the shipped ones loading (as in an integrator's checkout)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xoev-added-'));
    try {
      cpSync('xoev-schemas', dir, { recursive: true });
      cpSync('test/fixtures/xmeldung/1.0', join(dir, 'xmeldung', '1.0'), { recursive: true });
      const c = await loadCatalog(dir);
      try {
        expect(c.standards().map((x) => `${x.standard} ${x.version}`)).toEqual(standardFoldersOnDisk(dir));
        expect(standardFoldersOnDisk(dir)).toContain('xmeldung 1.0');
      } finally {
        c.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('verdicts equal xmllint --nonet --schema', () => {
  it.each(verdicts.map((v) => [v.file, v]))('%s', async (_name, v) => {
    const file = v.file.replace('$SAMPLES', SAMPLES);
    const body = readFileSync(file);
    if (v.xmllint === 'valid') {
      // The receive path reads only the id; it must be the id the full header reading finds.
      const checked = catalog.check(body);
      expect(checked.messageType).toBeTruthy();
      expect(checked.messageId).toBe((await catalog.inspect(body)).header.messageId);
    } else
      expect(codeOf(() => catalog.check(body)).code).toBe(
        v.xmllint === 'invalid' ? 'XGW_XOEV_INVALID' : 'XGW_XOEV_UNKNOWN_STANDARD',
      );
    if (hasXmllint && v.schema !== null) {
      let ok = true;
      try {
        execFileSync('xmllint', ['--nonet', '--noout', '--schema', v.schema, file], { stdio: 'ignore' });
      } catch {
        ok = false;
      }
      expect(ok ? 'valid' : 'invalid').toBe(v.xmllint);
    }
  });
});

describe('headers', () => {
  it('reads the XBau G2G header (unqualified variant)', async () => {
    const m = await catalog.inspect(readFileSync(join(FIX, 'baugenehmigung.antrag.0200.xml')));
    expect(m).toMatchObject({ standard: 'xbau', version: '2.6', messageType: 'baugenehmigung.antrag.0200' });
    expect(m.header).toEqual({
      messageId: '5d3c1b9e-7f0a-4c51-9a61-2b7e0c4d8f11',
      messageType: { code: '0200', listURI: 'urn:xoev-de:xbau:codeliste:xbau-nachrichten', listVersionID: '4.0' },
      createdAt: '2026-11-23T09:15:00+01:00',
      author: { behoerdenkennung: 'ags:09162000-portal', verzeichnisdienst: 'DVDV', name: 'Bauportal Musterland' },
      reader: {
        behoerdenkennung: 'bab:09162000',
        verzeichnisdienst: 'DVDV',
        name: 'Untere Bauaufsichtsbehörde Musterstadt',
      },
    });
  });
  it('reads the xdomea Kopf', async () => {
    const m = await catalog.inspect(
      readFileSync(`${SAMPLES}/xdomea/v3.0.0/9fde4e7a-b41b-11ec-9225-005056871b7c_Aussonderung.Aussonderung.0503.xml`),
    );
    expect(m.header).toMatchObject({
      messageId: '9fde4e7a-b41b-11ec-9225-005056871b7c',
      createdAt: '2022-04-04T15:34:58Z',
      messageType: { code: '0503', listVersionID: '2.0' },
      reader: { name: 'Landesarchiv NRW' },
    });
  });
  it('reads the XJustiz nachrichtenkopf', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<tns:nachricht.eeb.zuruecklaufend.2200007 xmlns:tns="http://www.xjustiz.de" xjustizVersion="3.5.1">
  <tns:nachrichtenkopf>
    <tns:erstellungszeitpunkt>2026-11-23T10:00:00</tns:erstellungszeitpunkt>
    <tns:auswahl_absender><tns:absender.sonstige>Kanzlei Beispiel</tns:absender.sonstige></tns:auswahl_absender>
    <tns:auswahl_empfaenger><tns:empfaenger.gericht listVersionID="3.3"><code>D3201</code></tns:empfaenger.gericht></tns:auswahl_empfaenger>
    <tns:eigeneNachrichtenID>4f1c2b3a-0d9e-4a7b-8c6d-5e4f3a2b1c0d</tns:eigeneNachrichtenID>
  </tns:nachrichtenkopf>
</tns:nachricht.eeb.zuruecklaufend.2200007>`;
    // Not a full valid eEB: the header reader is what is tested; the XSD verdict must be 'invalid', never a crash.
    const err = codeOf(() => catalog.check(xml));
    expect(err.code).toBe('XGW_XOEV_INVALID');
    expect(err.errors[0]?.line).toBeGreaterThan(0);
  });
  it('missing message id is XGW_XOEV_HEADER', () => {
    const xml = readFileSync(join(FIX, 'baugenehmigung.antrag.0200.xml'), 'utf8').replace(
      /<nachrichtenUUID>.*<\/nachrichtenUUID>/,
      '',
    );
    expect(codeOf(() => catalog.check(xml)).code).toBe('XGW_XOEV_HEADER');
  });
});

describe('parts', () => {
  it('XBau antrag: free text and the listed anlage, profile tasks bound to part ids', async () => {
    const m = await catalog.inspect(readFileSync(join(FIX, 'baugenehmigung.antrag.0200.xml')));
    expect(m.parts.map((p) => [p.id, p.kind, p.element])).toEqual([
      ['p1', 'text', 'bezeichnungDesBauvorhabens'],
      ['p2', 'text', 'weitereAngaben'],
      ['p3', 'attachment', 'anlage'],
      ['p4', 'text', 'bezeichnung'],
    ]);
    expect(m.parts[2]).toMatchObject({
      fileName: 'lageplan.pdf',
      mimeType: 'application/pdf',
      path: '/baugenehmigung.antrag.0200/anlagen/anlage',
    });
    expect(m.tasks?.find((t) => t.kind === 'classify')?.partIds).toEqual(['p3']);
  });
  it('xdomea: Betreff/Bemerkung/Inhaltsangabe in document order with paths', async () => {
    const m = await catalog.inspect(
      readFileSync(`${SAMPLES}/xdomea/v3.0.0/9fde4e7a-b41b-11ec-9225-005056871b7c_Aussonderung.Aussonderung.0503.xml`),
    );
    expect(m.parts[0]).toEqual({
      id: 'p1',
      kind: 'text',
      element: 'Betreff',
      text: '[Vorgangsbetreff]',
      path: '/Aussonderung.Aussonderung.0503/Schriftgutobjekt/Vorgang/AllgemeineMetadaten/Betreff',
    });
  });
  it('extracts text from a real PDF and from HTML', async () => {
    const documents = new DocumentReader({ ...DEFAULT_DOCUMENT_LIMITS, maxChars: 1000 });
    try {
      const r = await documents.read(makePdf(['Bauantrag Musterstadt']), undefined);
      expect(r).toEqual({
        mimeType: 'application/pdf',
        status: 'ok',
        pages: 1,
        text: expect.stringContaining('Bauantrag Musterstadt'),
      });
      expect(await documents.read(Buffer.from('<p>Hallo&nbsp;<b>Welt</b></p>'), 'text/html')).toEqual({
        mimeType: 'text/html',
        status: 'ok',
        text: 'Hallo Welt',
      });
      expect(await documents.read(Buffer.from([1, 2, 3]), 'image/png')).toEqual({
        mimeType: 'image/png',
        status: 'unsupported',
      });
    } finally {
      documents.close();
    }
  });
});

describe('safe parsing', () => {
  const good = readFileSync(join(FIX, 'baugenehmigung.antrag.0200.minimal.xml'), 'utf8');
  const timed = (fn: () => unknown): [AppError, number] => {
    const t = performance.now();
    const e = codeOf(fn);
    return [e, performance.now() - t];
  };
  it.each([
    ['XXE', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`],
    [
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><l>&j;</l>`,
    ],
    ['quadratic blow-up', `<!DOCTYPE q [<!ENTITY a "${'x'.repeat(50_000)}">]><q>${'&a;'.repeat(50_000)}</q>`],
    ['DOCTYPE after a comment', `<!-- hi --><!DOCTYPE x SYSTEM "http://evil.example/x.dtd"><x/>`],
  ])('%s → XGW_XML_UNSAFE fast', (_n, xml) => {
    const [e, ms] = timed(() => catalog.check(xml));
    expect(e.code).toBe('XGW_XML_UNSAFE');
    expect(ms).toBeLessThan(200);
  });
  it('depth beyond the limit → XGW_XML_LIMIT', () => {
    const deep = `<a>${'<b>'.repeat(150)}${'</b>'.repeat(150)}</a>`;
    expect(codeOf(() => catalog.check(deep)).code).toBe('XGW_XML_LIMIT');
    expect(codeOf(() => catalog.check(good, { maxDepth: 3 })).extensions).toMatchObject({ limit: 'maxDepth' });
  });
  it('body over the limit → XGW_XML_LIMIT before parsing', () => {
    const [e, ms] = timed(() => catalog.check(Buffer.alloc(2_000_000, 0x20), { maxBodyBytes: 1_000_000 }));
    expect(e.code).toBe('XGW_XML_LIMIT');
    expect(ms).toBeLessThan(50);
  });
  it('long attribute and long text → XGW_XML_LIMIT', () => {
    expect(
      codeOf(() => catalog.check(`<a b="${'x'.repeat(100)}"/>`, { maxAttributeLength: 50 })).extensions,
    ).toMatchObject({ limit: 'maxAttributeLength' });
    expect(codeOf(() => catalog.check(`<a>${'x'.repeat(100)}</a>`, { maxTextLength: 50 })).extensions).toMatchObject({
      limit: 'maxTextLength',
    });
  });
  it('malformed → XGW_XML_MALFORMED with line and column', () => {
    const e = codeOf(() => catalog.check('<a>\n  <b>\n</a>'));
    expect(e.code).toBe('XGW_XML_MALFORMED');
    expect(e.errors[0]).toMatchObject({ line: 3, column: expect.any(Number) });
    expect(e.errors[0]?.column).toBeGreaterThan(0);
  });
  it('the process is fine afterwards', () => {
    expect(catalog.check(good).messageId).toBe('c0ffee00-1234-4abc-8def-0123456789ab');
  });
  it('unknown standard lists the known ones', () => {
    const e = codeOf(() => catalog.check('<x xmlns="urn:nope"/>'));
    expect(e.code).toBe('XGW_XOEV_UNKNOWN_STANDARD');
    expect(JSON.stringify(e.extensions['knownStandards'])).toContain('xbau');
  });
  it('XSD violations carry the line and the element path (libxml2 gives no column for them)', () => {
    const e = codeOf(() =>
      catalog.check(readFileSync(join(FIX, 'invalid/formellePruefung-unexpected-frist.0201.xml'))),
    );
    expect(e.code).toBe('XGW_XOEV_INVALID');
    expect(e.errors[0]).toMatchObject({
      line: 25,
      path: '/xbau:baugenehmigung.formellePruefung.0201/xbau:frist',
      message: expect.stringContaining('frist'),
    });
  });
});

describe('adding a standard is adding a folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xoev-cat-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  it('loads an invented standard from a new folder, no code change', async () => {
    const f = join(dir, 'xdemo', '1.0');
    cpSync('test/fixtures/xdemo/1.0', f, { recursive: true });
    const c = await loadCatalog(dir);
    try {
      expect(c.standards()).toEqual([
        {
          standard: 'xdemo',
          version: '1.0',
          namespaces: ['urn:example:xdemo:1.0'],
          messageTypes: ['demo.meldung.0001'],
          profiles: [],
        },
      ]);
      const m = await c.inspect(readFileSync('test/fixtures/xdemo/demo.meldung.0001.xml'));
      expect(m.header.messageId).toBe('11111111-2222-4333-8444-555555555555');
      expect(m.parts.map((p) => p.text)).toEqual(['Ein Baum ist auf die Straße gefallen.']);
    } finally {
      c.close();
    }
  });
  it('a broken descriptor stops loading with XGW_CONFIG_INVALID naming file and field', async () => {
    const f = join(dir, 'xdemo', '1.0');
    cpSync('test/fixtures/xdemo/1.0', f, { recursive: true });
    const d = JSON.parse(readFileSync(join(f, 'standard.json'), 'utf8'));
    d.header.dialect = 'smoke-signals';
    writeFileSync(join(f, 'standard.json'), JSON.stringify(d));
    const err: unknown = await loadCatalog(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'XGW_CONFIG_INVALID',
      extensions: { file: join(f, 'standard.json'), field: '/header/dialect' },
    });
    // The message names the allowed values, so nobody has to read code to find them.
    expect(err instanceof AppError ? err.detail : '').toContain('"g2g", "xdomea-kopf", "xjustiz"');
  });
  it('a profile with an unknown code list stops loading', async () => {
    const f = join(dir, 'xdemo', '1.0');
    cpSync('test/fixtures/xdemo/1.0', f, { recursive: true });
    const d = JSON.parse(readFileSync(join(f, 'standard.json'), 'utf8'));
    d.profiles = { 'demo.meldung.0001': 'p.json' };
    writeFileSync(join(f, 'standard.json'), JSON.stringify(d));
    writeFileSync(
      join(f, 'p.json'),
      JSON.stringify({
        messageType: 'demo.meldung.0001',
        tasks: [{ kind: 'classify', name: 'x', codeList: 'urn:nope' }],
      }),
    );
    await expect(loadCatalog(dir)).rejects.toMatchObject({
      code: 'XGW_CONFIG_INVALID',
      extensions: { field: '/tasks/0/codeList' },
    });
  });
});

describe('a header of another shape is data too (docs/standards.md walk-through)', () => {
  let dir: string;
  let f: string;
  const MELDUNG = 'test/fixtures/xmeldung/buerger.hinweis.0001.xml';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xoev-meldung-'));
    f = join(dir, 'xmeldung', '1.0');
    cpSync('test/fixtures/xmeldung/1.0', f, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const editDescriptor = (edit: (d: StandardDescriptor) => void): void => {
    const d: StandardDescriptor = JSON.parse(readFileSync(join(f, 'standard.json'), 'utf8'));
    edit(d);
    writeFileSync(join(f, 'standard.json'), JSON.stringify(d));
  };

  it('reads the header by its declared fields, binds the profile tasks and has no warning', async () => {
    const c = await loadCatalog(dir);
    try {
      expect(c.standards()).toEqual([
        {
          standard: 'xmeldung',
          version: '1.0',
          namespaces: ['urn:example:xmeldung:1.0'],
          messageTypes: ['buerger.hinweis.0001'],
          profiles: ['buerger.hinweis.0001'],
        },
      ]);
      expect(c.check(readFileSync(MELDUNG)).messageId).toBe('hw-2026-000417');
      const m = await c.inspect(readFileSync(MELDUNG));
      expect(m.header).toEqual({
        messageId: 'hw-2026-000417',
        createdAt: '2026-11-30T07:42:00+01:00',
        messageType: {
          code: '0001',
          name: 'Bürgerhinweis',
          listURI: 'urn:example:xmeldung:codeliste:meldungsart',
          listVersionID: '1.0',
        },
        author: { behoerdenkennung: 'ags:09162000-portal', name: 'Mängelmelder Musterstadt' },
        reader: { behoerdenkennung: 'ags:09162000-tba', name: 'Tiefbauamt Musterstadt' },
      });
      expect(m.warnings).toBeUndefined();
      expect(m.tasks?.map((t) => [t.kind, t.name, t.partIds])).toEqual([
        ['classify', 'anliegen', ['p1']],
        ['extract', 'kontakt', ['p1']],
      ]);
      expect(c.codeList('urn:example:xmeldung:codeliste:anliegen')?.entries).toHaveLength(4);
    } finally {
      c.close();
    }
  });
  it('a header code that disagrees with the root element is a warning with both codes', async () => {
    const c = await loadCatalog(dir);
    try {
      const xml = readFileSync(MELDUNG, 'utf8').replace('<m:code>0001</m:code>', '<m:code>0002</m:code>');
      const m = await c.inspect(xml);
      expect(m.messageType).toBe('buerger.hinweis.0001');
      expect(m.warnings).toEqual([
        {
          code: 'XGW_HEADER_TYPE_MISMATCH',
          detail: expect.stringContaining('0002'),
          headerCode: '0002',
          rootCode: '0001',
        },
      ]);
    } finally {
      c.close();
    }
  });
  it('the shipped XBau dialect reports the same disagreement', async () => {
    const xml = readFileSync(join(FIX, 'baugenehmigung.antrag.0200.xml'), 'utf8').replace(
      '<code>0200</code>',
      '<code>0201</code>',
    );
    const m = await catalog.inspect(xml);
    expect(m.warnings).toMatchObject([{ code: 'XGW_HEADER_TYPE_MISMATCH', headerCode: '0201', rootCode: '0200' }]);
  });
  it('a dialect and fields together, or neither, stop loading naming /header', async () => {
    editDescriptor((d) => {
      d.header.dialect = 'g2g';
    });
    await expect(loadCatalog(dir)).rejects.toMatchObject({ extensions: { field: '/header' } });
    editDescriptor((d) => {
      delete d.header.dialect;
      delete d.header.fields;
    });
    await expect(loadCatalog(dir)).rejects.toMatchObject({ extensions: { field: '/header' } });
  });
  it('a path that is not one of local names stops loading naming the field', async () => {
    editDescriptor((d) => {
      if (d.header.fields?.author !== undefined) d.header.fields.author.name = ['bezeichnung', "x'] | //*[1"];
    });
    await expect(loadCatalog(dir)).rejects.toMatchObject({
      code: 'XGW_CONFIG_INVALID',
      extensions: { field: '/header/fields/author/name/1' },
    });
  });
  it('a rootCode without exactly one capture group stops loading', async () => {
    editDescriptor((d) => {
      if (d.header.fields !== undefined) d.header.fields.rootCode = '[0-9]{4}$';
    });
    await expect(loadCatalog(dir)).rejects.toMatchObject({ extensions: { field: '/header/fields/rootCode' } });
  });
  it('an x-entity that names no recogniser stops loading, naming the schema, field and allowed kinds', async () => {
    const file = join(f, 'profiles', 'kontakt.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.properties.ort['x-entity'] = 'adresse';
    writeFileSync(file, JSON.stringify(schema));
    const err: unknown = await loadCatalog(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'XGW_CONFIG_INVALID',
      extensions: { file, field: '/properties/ort/x-entity' },
    });
    expect(err instanceof AppError ? err.detail : '').toContain('address');
  });
  it('a codeLists folder that does not exist is a configuration error, not ENOENT', async () => {
    editDescriptor((d) => {
      d.codeLists = 'codelisten';
    });
    await expect(loadCatalog(dir)).rejects.toMatchObject({
      code: 'XGW_CONFIG_INVALID',
      extensions: { file: join(f, 'standard.json'), field: '/codeLists' },
    });
  });
  it('docs/standard.schema.json is the schema the loader checks (run `npm run docs:config`), and plain JSON Schema', () => {
    const published: unknown = JSON.parse(readFileSync('docs/standard.schema.json', 'utf8'));
    expect(published).toEqual(descriptorJsonSchema());
    const validate = compileSchema(
      Object.fromEntries(Object.entries(published as object).filter(([k]) => k !== '$schema')),
    );
    const files = [
      ...standardFoldersOnDisk('xoev-schemas').map((s) => join('xoev-schemas', ...s.split(' '), 'standard.json')),
      join(f, 'standard.json'),
    ];
    for (const file of files) expect([file, validate(JSON.parse(readFileSync(file, 'utf8')))]).toEqual([file, true]);
    expect(validate({ standard: 'x', version: '1', namespaces: [] })).toBe(false);
  });
  it('the shipped dialects are declarations of the kind a descriptor may write', () => {
    const validate = compileSchema<HeaderFields>(headerFieldsSchema);
    for (const [name, fields] of Object.entries(HEADER_DIALECTS)) {
      expect([name, validate(fields), validate.errors ?? null]).toEqual([name, true, null]);
    }
    expect(Object.keys(HEADER_DIALECTS)).toEqual(HEADER_DIALECT_NAMES);
  });
});

it('loadCodeList reads genericode into labels', async () => {
  const cl = await loadCodeList('xoev-schemas/xbau/2.6/codelists/urn_xoev-de_xbau_codeliste_xbau-nachrichten_4.0.xml');
  expect(cl.labels()[0]).toEqual({
    code: '0100',
    name: 'prozessnachrichten.aenderungProjektraumdaten.0100',
    listURI: 'urn:xoev-de:xbau:codeliste:xbau-nachrichten',
    listVersionID: '4.0',
  });
  expect(existsSync('xoev-schemas/xbau/2.6/ORIGIN.tsv')).toBe(true);
});

describe('hostile attachments and texts in a message (issue #11, rows 3 and 5)', () => {
  let dir: string;
  let c: XoevCatalog;
  const message = (beschreibung: string, anlagen: { name: string; type: string; bytes: Buffer }[]): string =>
    readFileSync('test/fixtures/xdemo/demo.meldung.0001.xml', 'utf8').replace(
      /<d:beschreibung>[^<]*<\/d:beschreibung>\s*<d:kurz>[^<]*<\/d:kurz>/,
      `<d:beschreibung>${beschreibung}</d:beschreibung>${anlagen.map((a) => `<d:anlage><d:dateiname>${a.name}</d:dateiname><d:mimeType>${a.type}</d:mimeType><d:inhalt>${a.bytes.toString('base64')}</d:inhalt></d:anlage>`).join('')}`,
    );
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xoev-hostile-'));
    cpSync('test/fixtures/xdemo/1.0', join(dir, 'xdemo', '1.0'), { recursive: true });
    c = await loadCatalog(dir, { partMaxChars: 100_000 });
  });
  afterAll(() => {
    c.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it('lists a zip-bomb attachment as too_complex and reads the others', async () => {
    const m = await c.inspect(
      message('Ein Baum ist auf die Straße gefallen.', [
        {
          name: 'bombe.docx',
          type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          bytes: makeDocxBomb(80 * 1024 * 1024),
        },
        { name: 'brief.pdf', type: 'application/pdf', bytes: makePdf(['Sehr geehrte Damen und Herren']) },
      ]),
    );
    expect(m.parts.map((p) => [p.fileName, p.extraction?.status])).toEqual([
      [undefined, undefined],
      ['bombe.docx', 'too_complex'],
      ['brief.pdf', 'ok'],
    ]);
    expect(m.parts[1]?.text).toBeUndefined();
    expect(m.parts[2]?.text).toContain('Sehr geehrte Damen und Herren');
  });
  it('fails a free text longer than PART_MAX_CHARS with XGW_PART_TOO_LONG naming its path', async () => {
    await expect(c.inspect(message('Bemerkung '.repeat(20_000), []))).rejects.toMatchObject({
      code: 'XGW_PART_TOO_LONG',
      errors: [{ path: '/demo.meldung.0001/beschreibung' }],
    });
  });
});
