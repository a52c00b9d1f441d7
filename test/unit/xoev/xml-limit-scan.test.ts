import { XmlDocument } from 'libxml2-wasm';
import { isByteScannable, scanXmlShape, shapeWithin } from '../../../src/xoev/xml-limit-scan.js';
import { assertNoDoctype } from '../../../src/xoev/xml-parse.js';
import { assertDocumentWithinLimits } from '../../../src/xoev/xml-walk.js';
import { DEFAULT_LIMITS } from '../../../src/xoev/xml-limits.js';
import { AppError } from '../../../src/errors/app-error.js';

const shape = (xml: string) => scanXmlShape(Buffer.from(xml, 'utf8'));

describe('scanXmlShape', () => {
  it('counts depth and elements, self-closing tags included', () => {
    expect(shape('<a><b/><c><d/></c></a>')).toEqual({ depth: 3, elements: 4, longestAttribute: 0, longestText: 0 });
    expect(shape('<a/>')).toEqual({ depth: 1, elements: 1, longestAttribute: 0, longestText: 0 });
    expect(shape('<a><b /><b\n/></a>')).toMatchObject({ depth: 2, elements: 3 });
  });

  it('measures text per element, not per document, and adds CDATA to it', () => {
    expect(shape('<a>12345<b>123</b>67</a>')).toMatchObject({ longestText: 7 });
    expect(shape('<a>12<![CDATA[<b>not a tag</b>]]>34</a>')).toMatchObject({
      depth: 1,
      elements: 1,
      longestText: 4 + '<b>not a tag</b>'.length,
    });
  });

  it('skips comments and processing instructions, whatever they contain', () => {
    expect(shape('<?xml version="1.0"?><!-- <x><y> --><a><?pi <b> > ?><!-- </a> -->x</a><!-- after -->')).toEqual({
      depth: 1,
      elements: 1,
      longestAttribute: 0,
      longestText: 1,
    });
  });

  it("reads '>' inside quoted attribute values as value, and measures the longest value", () => {
    expect(shape(`<a x="1>2" y='a>"b"'><b z="/>"/></a>`)).toEqual({
      depth: 2,
      elements: 2,
      longestAttribute: 'a>"b"'.length,
      longestText: 0,
    });
  });

  it('counts raw bytes, an upper bound of the decoded length (entities, multi-byte UTF-8)', () => {
    expect(shape('<a>&amp;&lt;</a>')).toMatchObject({ longestText: 9 });
    expect(shape('<a b="ä"/>')).toMatchObject({ longestAttribute: 2 });
  });

  it('does not vouch for what it cannot account for', () => {
    expect(shape('<!DOCTYPE a><a/>')).toBeUndefined();
    expect(shape('<a><!-- open')).toBeUndefined();
    expect(shape('<a b="open>')).toBeUndefined();
    expect(shape('<a><b></a>')).toBeUndefined();
    expect(shape('</a>')).toBeUndefined();
    expect(shape('just text')).toBeUndefined();
  });

  it('is trusted only for ASCII-compatible encodings', () => {
    expect(isByteScannable(Buffer.from('<a/>'), null)).toBe(true);
    expect(isByteScannable(Buffer.from('<a/>'), 'ISO-8859-15')).toBe(true);
    expect(isByteScannable(Buffer.from([0xef, 0xbb, 0xbf, 0x3c]), 'UTF-8')).toBe(true);
    expect(isByteScannable(Buffer.from([0xff, 0xfe, 0x3c, 0x00]), null)).toBe(false);
    expect(isByteScannable(Buffer.from([0x3c, 0x00, 0x61, 0x00]), null)).toBe(false);
    expect(isByteScannable(Buffer.from('<a/>'), 'Shift_JIS')).toBe(false);
  });

  it('shapeWithin applies every limit', () => {
    const s = { depth: 3, elements: 10, longestAttribute: 5, longestText: 7 };
    expect(shapeWithin(s, DEFAULT_LIMITS)).toBe(true);
    expect(shapeWithin(s, { ...DEFAULT_LIMITS, maxDepth: 2 })).toBe(false);
    expect(shapeWithin(s, { ...DEFAULT_LIMITS, maxElements: 9 })).toBe(false);
    expect(shapeWithin(s, { ...DEFAULT_LIMITS, maxAttributeLength: 4 })).toBe(false);
    expect(shapeWithin(s, { ...DEFAULT_LIMITS, maxTextLength: 6 })).toBe(false);
  });
});

describe('assertDocumentWithinLimits', () => {
  const check = (xml: string | Buffer, limits: Partial<typeof DEFAULT_LIMITS>): string | undefined => {
    const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
    const doc = XmlDocument.fromBuffer(bytes);
    try {
      assertDocumentWithinLimits(doc, bytes, { ...DEFAULT_LIMITS, ...limits });
      return undefined;
    } catch (e) {
      if (e instanceof AppError) return String(e.extensions['limit']);
      throw e;
    } finally {
      doc.dispose();
    }
  };

  it('the scan over-estimates, the exact walk then decides: entities are one character', () => {
    expect(check(`<a>${'&amp;'.repeat(10)}</a>`, { maxTextLength: 10 })).toBeUndefined();
    expect(check(`<a>${'&amp;'.repeat(11)}</a>`, { maxTextLength: 10 })).toBe('maxTextLength');
  });

  it('agrees with the walk on depth, elements, attributes and text', () => {
    expect(check('<a><b><c/></b></a>', { maxDepth: 3 })).toBeUndefined();
    expect(check('<a><b><c/></b></a>', { maxDepth: 2 })).toBe('maxDepth');
    expect(check('<a><b/><b/></a>', { maxElements: 2 })).toBe('maxElements');
    expect(check('<a b="12345"/>', { maxAttributeLength: 4 })).toBe('maxAttributeLength');
    expect(check('<a><!-- long comment is no text --><![CDATA[12345]]></a>', { maxTextLength: 5 })).toBeUndefined();
    expect(check('<a><![CDATA[123456]]></a>', { maxTextLength: 5 })).toBe('maxTextLength');
  });

  it('UTF-16 bodies are checked by the walk', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a><b><c/></b></a>', 'utf16le')]);
    expect(check(utf16, { maxDepth: 2 })).toBe('maxDepth');
    expect(check(utf16, { maxDepth: 3 })).toBeUndefined();
  });
});

describe('assertNoDoctype', () => {
  const unsafe = (body: Buffer): boolean => {
    try {
      assertNoDoctype(body);
      return false;
    } catch (e) {
      if (e instanceof AppError && e.code === 'XGW_XML_UNSAFE') return true;
      throw e;
    }
  };
  it('sees a DOCTYPE behind a UTF-8 BOM', () => {
    expect(
      unsafe(
        Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        ]),
      ),
    ).toBe(true);
  });
  it('sees a DOCTYPE behind a prolog longer than the first 4 KiB', () => {
    expect(unsafe(Buffer.from(`<?xml version="1.0"?><!--${'x'.repeat(10_000)}--><!DOCTYPE x><x/>`))).toBe(true);
  });
  it('sees a DOCTYPE in UTF-16', () => {
    expect(unsafe(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<!DOCTYPE x><x/>', 'utf16le')]))).toBe(true);
  });
  it('leaves <!DOCTYPE in CDATA of the body alone', () => {
    expect(unsafe(Buffer.from('<?xml version="1.0"?><a><![CDATA[<!DOCTYPE x>]]></a>'))).toBe(false);
  });
});
