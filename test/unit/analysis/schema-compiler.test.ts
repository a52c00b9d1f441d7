import { checkUserSchema, USER_SCHEMA_LIMITS } from '../../../src/analysis/schema-compiler.js';
import { compileSchema, compiledSchemaCount } from '../../../src/config/json-schema.js';
import { checkExtractSchema } from '../../../src/analysis/task-spec-check.js';

const codeOf = (fn: () => void): { code: string; errors: { path?: string }[] } => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; errors: { path?: string }[] };
  }
  throw new Error('did not throw');
};

function nested(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) inner = { type: 'object', properties: { x: inner } };
  return inner;
}

describe('client JSON Schemas (issue #11, rows 6, 7 and 13)', () => {
  it('keeps at most 256 compiled schemas however many distinct ones arrive (row 6)', () => {
    for (let i = 0; i < 2_000; i++) compileSchema({ type: 'object', properties: { [`feld${i}`]: { type: 'string' } } });
    expect(compiledSchemaCount()).toBeLessThanOrEqual(256);
    const heap = process.memoryUsage().heapUsed;
    for (let i = 2_000; i < 6_000; i++)
      compileSchema({ type: 'object', properties: { [`feld${i}`]: { type: 'string' } } });
    global.gc?.();
    // 4,000 more compiled schemas retained would be ~440 MiB at the rate the issue measured.
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(100 * 1024 * 1024);
    expect(compiledSchemaCount()).toBeLessThanOrEqual(256);
  });

  it('compiles an equal schema once, whatever the key order', () => {
    const a = compileSchema({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } } });
    const b = compileSchema({ properties: { b: { type: 'number' }, a: { type: 'string' } }, type: 'object' });
    expect(a).toBe(b);
  });

  it('refuses $id and anchors, so no request names a schema another request can reach (row 7)', () => {
    const withId = { $id: 'urn:x', type: 'object', properties: { a: { type: 'string' } } };
    expect(codeOf(() => checkExtractSchema(withId))).toMatchObject({
      code: 'XGW_REQ_VALIDATION',
      errors: [{ path: '/schema/$id' }],
    });
    expect(codeOf(() => checkExtractSchema({ type: 'object', properties: { a: { $ref: 'urn:x' } } }))).toMatchObject({
      code: 'XGW_REQ_VALIDATION',
      errors: [{ path: '/schema/properties/a/$ref' }],
    });
    expect(
      codeOf(() => checkExtractSchema({ type: 'object', properties: { a: { $ref: 'https://evil.example/s.json' } } }))
        .code,
    ).toBe('XGW_REQ_VALIDATION');
    expect(() =>
      checkExtractSchema({
        type: 'object',
        $defs: { d: { type: 'string' } },
        properties: { a: { $ref: '#/$defs/d' } },
      }),
    ).not.toThrow();
  });

  it("a schema compiled for one request does not resolve another request's $ref (row 7)", () => {
    // Even a schema that got past the check with an $id would not be registered by the compiler.
    compileSchema({ $id: 'urn:example:tenant-a', type: 'object', properties: { geheim: { type: 'string' } } });
    expect(() => compileSchema({ type: 'object', properties: { a: { $ref: 'urn:example:tenant-a' } } })).toThrow();
    expect(() =>
      compileSchema({ $id: 'urn:example:tenant-a', type: 'object', properties: { b: { type: 'string' } } }),
    ).not.toThrow();
  });

  it('refuses schemas too deep, too big, with too many nodes or properties, with a coded reason (rows 6 and 13)', () => {
    expect(codeOf(() => checkUserSchema(nested(10_000)))).toMatchObject({ code: 'XGW_REQ_TOO_COMPLEX' });
    expect(codeOf(() => checkUserSchema(nested(USER_SCHEMA_LIMITS.maxDepth)))).toMatchObject({
      code: 'XGW_REQ_TOO_COMPLEX',
    });
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, { type: 'string' }])),
    };
    expect(codeOf(() => checkUserSchema(wide))).toMatchObject({
      code: 'XGW_REQ_TOO_COMPLEX',
      errors: [{ path: '/schema/properties' }],
    });
    const big = { type: 'object', properties: { a: { type: 'string', description: 'x'.repeat(70_000) } } };
    expect(codeOf(() => checkUserSchema(big)).code).toBe('XGW_REQ_TOO_COMPLEX');
    const many = { type: 'object', properties: { a: { enum: Array.from({ length: 5_000 }, (_, i) => i) } } };
    expect(codeOf(() => checkUserSchema(many)).code).toBe('XGW_REQ_TOO_COMPLEX');
  });

  it('refuses a pattern that repeats a repeating group, and overlong patterns', () => {
    for (const pattern of ['(a+)+$', '^(\\w*x)*$', '([a-z]+\\d?)*', '(x{1,9}y?){3,}']) {
      const schema = { type: 'object', properties: { a: { type: 'string', pattern } } };
      expect(codeOf(() => checkUserSchema(schema))).toMatchObject({
        code: 'XGW_REQ_VALIDATION',
        errors: [{ path: '/schema/properties/a/pattern' }],
      });
    }
    expect(() =>
      checkUserSchema({
        type: 'object',
        properties: { az: { type: 'string', pattern: '^[0-9]{2}-[0-9]{4}/[0-9]{2}$' } },
      }),
    ).not.toThrow();
    expect(
      codeOf(() => checkUserSchema({ type: 'object', properties: { a: { type: 'string', pattern: 'a'.repeat(300) } } }))
        .code,
    ).toBe('XGW_REQ_TOO_COMPLEX');
  });
});

describe('x-entity in a client schema (issue #13, point 8)', () => {
  it('refuses a kind no recogniser has, naming where and the kinds there are', () => {
    const err = codeOf(() =>
      checkUserSchema({ type: 'object', properties: { ort: { type: 'array', 'x-entity': 'adresse' } } }),
    );
    expect(err.code).toBe('XGW_REQ_VALIDATION');
    expect(err.errors[0]?.path).toBe('/schema/properties/ort/x-entity');
    expect(JSON.stringify(err)).toContain('address');
  });
  it('accepts the kinds there are', () => {
    expect(() =>
      checkUserSchema({ type: 'object', properties: { ort: { type: 'array', 'x-entity': 'address' } } }),
    ).not.toThrow();
  });
});
