import { readFileSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { parse } from 'yaml';
import { fromRoot } from '../../../src/config/paths.js';
import { fastPathAdmission } from '../../../src/api/fast-path/fast-path-admission.js';
import { responseCheck } from '../../../src/api/fast-path/response-check.js';
import { AppError } from '../../../src/errors/app-error.js';

const spec: unknown = parse(readFileSync(fromRoot('openapi/gateway.yaml'), 'utf8'));

function request(method: string, url: string, headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  for (const [k, v] of Object.entries(headers)) req.headers[k.toLowerCase()] = v;
  return req;
}

describe('fast path admission (only requests express-openapi-validator would pass)', () => {
  const admitted = fastPathAdmission(spec);
  const ok = { 'content-type': 'application/xml', 'content-length': '10' };

  it.each([
    ['application/xml', ok],
    ['text/xml with charset', { ...ok, 'content-type': 'text/xml; charset=UTF-8' }],
    ['an Idempotency-Key of 200 characters', { ...ok, 'idempotency-key': 'k'.repeat(200) }],
  ])('admits %s', (_what, headers) => {
    expect(admitted(request('POST', '/v1/messages', headers))).toBe(true);
  });

  it.each([
    ['another method', 'GET', '/v1/messages', ok],
    ['a query string', 'POST', '/v1/messages?a=1', ok],
    ['a trailing slash', 'POST', '/v1/messages/', ok],
    ['another path', 'POST', '/v1/jobs', ok],
    ['no content type', 'POST', '/v1/messages', { 'content-length': '10' }],
    ['json', 'POST', '/v1/messages', { ...ok, 'content-type': 'application/json' }],
    [
      'a +xml type the contract does not list',
      'POST',
      '/v1/messages',
      { ...ok, 'content-type': 'application/foo+xml' },
    ],
    ['other media type parameters', 'POST', '/v1/messages', { ...ok, 'content-type': 'application/xml; boundary=x' }],
    ['an empty body', 'POST', '/v1/messages', { ...ok, 'content-length': '0' }],
    ['a chunked body', 'POST', '/v1/messages', { 'content-type': 'application/xml', 'transfer-encoding': 'chunked' }],
    ['a compressed body', 'POST', '/v1/messages', { ...ok, 'content-encoding': 'gzip' }],
    ['an empty Idempotency-Key', 'POST', '/v1/messages', { ...ok, 'idempotency-key': '' }],
    ['an Idempotency-Key of 201 characters', 'POST', '/v1/messages', { ...ok, 'idempotency-key': 'k'.repeat(201) }],
  ])('hands %s to express', (_what, method, url, headers) => {
    expect(admitted(request(method, url, headers))).toBe(false);
  });
});

describe('fast path response check (validateResponses without the validator)', () => {
  const check = responseCheck(spec, 'POST', '/v1/messages');

  it('passes answers that follow the contract', () => {
    expect(() => check(202, { id: 'm1', state: 'queued', location: '/v1/jobs/m1', duplicate: false })).not.toThrow();
    expect(() => check(200, { id: 'm1', state: 'done', location: '/v1/jobs/m1', duplicate: true })).not.toThrow();
  });

  it('turns answers that do not into a 500', () => {
    for (const [status, body] of [
      [202, { id: 'm1', state: 'queued' }],
      [202, { id: 'm1', state: 'sleeping', location: '/v1/jobs/m1' }],
      [201, { id: 'm1', state: 'queued', location: '/v1/jobs/m1' }],
    ] as const) {
      let thrown: unknown;
      try {
        check(status, body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown instanceof AppError ? thrown.status : 0).toBe(500);
    }
  });
});
