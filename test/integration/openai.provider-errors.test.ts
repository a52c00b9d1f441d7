import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  mapProviderError,
  rejectsJsonSchema,
  retryAfterSeconds,
} from '../../src/analysis/providers/openai/provider-errors.js';
import { AppError } from '../../src/errors/app-error.js';

const ctx = { providerId: 'p', timeoutMs: 1000, deadlineExceeded: false };

describe('provider error mapping', () => {
  it('parses Retry-After as seconds, HTTP date and retry-after-ms', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after': '12' }))).toBe(12);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30);
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500' }))).toBe(2);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterSeconds(new Headers())).toBeUndefined();
  });

  it('maps SDK errors to codes', () => {
    expect(
      mapProviderError(APIError.generate(429, { message: 'slow' }, 'slow', new Headers({ 'retry-after': '3' })), ctx),
    ).toMatchObject({ code: 'XGW_LLM_RATE_LIMITED', retryAfterSeconds: 3 });
    expect(mapProviderError(APIError.generate(503, undefined, 'x', new Headers()), ctx).code).toBe(
      'XGW_LLM_UNAVAILABLE',
    );
    expect(mapProviderError(APIError.generate(403, undefined, 'x', new Headers()), ctx).code).toBe(
      'XGW_CONFIG_INVALID',
    );
    expect(mapProviderError(new APIConnectionError({ message: 'refused' }), ctx).code).toBe('XGW_LLM_UNAVAILABLE');
    expect(mapProviderError(new APIConnectionTimeoutError(), ctx).code).toBe('XGW_LLM_TIMEOUT');
    expect(mapProviderError(new APIUserAbortError(), ctx).code).toBe('XGW_LLM_TIMEOUT');
    expect(mapProviderError(new Error('boom'), { ...ctx, deadlineExceeded: true }).code).toBe('XGW_LLM_TIMEOUT');
    const own = new AppError('XGW_LLM_BAD_OUTPUT');
    expect(mapProviderError(own, ctx)).toBe(own);
  });

  it('does not copy provider messages into the detail', () => {
    const e = mapProviderError(
      APIError.generate(500, { error: { message: 'echo: Erika Mustermann' } }, 'echo: Erika Mustermann', new Headers()),
      ctx,
    );
    expect(e.detail).not.toContain('Erika');
  });

  it('recognises a 400 that rejects json_schema', () => {
    expect(
      rejectsJsonSchema(
        APIError.generate(
          400,
          { error: { message: "response_format 'json_schema' unsupported" } },
          undefined,
          new Headers(),
        ),
      ),
    ).toBe(true);
    expect(
      rejectsJsonSchema(APIError.generate(400, { error: { message: 'context too long' } }, undefined, new Headers())),
    ).toBe(false);
    expect(
      rejectsJsonSchema(APIError.generate(500, { error: { message: 'json_schema' } }, undefined, new Headers())),
    ).toBe(false);
  });
});
