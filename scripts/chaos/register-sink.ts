import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SeededRandom } from './seeded-random.js';
import { asRecord, readBody } from '../../test/support/http-body.js';

/**
 * The chaos run's register and webhook receiver: a plain node:http server on 127.0.0.1 that the
 * gateway's built-in `http-register` and `webhook` connectors talk to over real HTTP. It behaves
 * like a well-made idempotent register (a unique index on the Idempotency-Key; a repeated key
 * answers the first record again and stores nothing), and it keeps its own rows, so the chaos
 * report can count duplicates and losses from what the register holds, not from what the gateway
 * says it sent.
 */

/** One row of the register table (`PUT /facts/{key}`). */
export interface FactRow {
  id: string;
  key: string;
  fact: string;
  subject: string;
  fields: Record<string, unknown>;
  jobId: string;
}

/** One stored webhook call (`POST /hooks`): the receiver keeps each Idempotency-Key once. */
export interface NotificationRow {
  key: string;
  event: string;
  jobId: string;
}

/** What the sink saw on the wire. */
export interface SinkCounters {
  writes: number;
  lookups: number;
  hookCalls: number;
  /** Writes or hook calls repeating a stored key: answered as the first, stored nothing (transport-level resends). */
  resendsDeduplicated: number;
  /** A repeated key with another fact, subject or fields: a real register refuses it (422). Must be 0. */
  conflictingResends: number;
  /** PUT path key, Idempotency-Key header and body key disagree. Must be 0. */
  keyMismatches: number;
  /** Webhook calls whose HMAC signature or timestamp did not verify. Must be 0. */
  badSignatures: number;
  /** Injected: 503 before anything is stored. */
  faultsBeforeStore: number;
  /** Injected: stored, then the connection is cut before the answer (the "committed, reply lost" window). */
  faultsAfterStore: number;
}

export interface RegisterSink {
  /** Base URL of the register API (`baseUrl` of http-register). */
  url: string;
  /** URL of the webhook receiver. */
  hookUrl: string;
  /** Register rows in insertion order. */
  readonly facts: readonly FactRow[];
  /** Webhook rows in arrival order. */
  readonly notifications: readonly NotificationRow[];
  readonly counters: Readonly<SinkCounters>;
  close(): Promise<void>;
}

export interface SinkOptions {
  /** Share of writes, lookups and hook calls that fail (split 3:2 between before and after storing). */
  faultRate: number;
  /** Seed of the fault draws (the request order itself depends on scheduling). */
  seed: number;
  /** Secret the webhook connector signs with. */
  signingSecret: string;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? asRecord(value) : undefined;
  } catch {
    return undefined;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Canonical JSON (sorted keys) so a resend with the same content compares equal whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The receiver side of the webhook signature, written from the documented scheme (not the gateway's code). */
function signatureValid(
  secret: string,
  signature: string | undefined,
  timestamp: string | undefined,
  body: string,
): boolean {
  if (signature === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startRegisterSink(options: SinkOptions): Promise<RegisterSink> {
  const facts: FactRow[] = [];
  const notifications: NotificationRow[] = [];
  // The register's indexes: unique on the idempotency key, and (subject, fact) for lookups.
  const byKey = new Map<string, FactRow>();
  const bySubjectFact = new Map<string, FactRow>();
  const hookKeys = new Set<string>();
  const counters: SinkCounters = {
    writes: 0,
    lookups: 0,
    hookCalls: 0,
    resendsDeduplicated: 0,
    conflictingResends: 0,
    keyMismatches: 0,
    badSignatures: 0,
    faultsBeforeStore: 0,
    faultsAfterStore: 0,
  };
  // Its own stream, so the sink's draws do not shift the chaos run's kills and LLM faults.
  const rnd = new SeededRandom((options.seed ^ 0x5eed5eed) >>> 0);
  const draw = (): 'none' | 'before' | 'after' => {
    const r = rnd.next();
    return r < options.faultRate * 0.6 ? 'before' : r < options.faultRate ? 'after' : 'none';
  };

  const send = (res: ServerResponse, status: number, value?: unknown): void => {
    res
      .writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' })
      .end(value === undefined ? undefined : JSON.stringify(value));
  };
  const unavailable = (res: ServerResponse): void => {
    counters.faultsBeforeStore++;
    send(res, 503, { title: 'injected fault' });
  };
  // The work is done; the reply never arrives (connection reset), as when a register commits and then dies.
  const cutAfterStore = (res: ServerResponse): void => {
    counters.faultsAfterStore++;
    res.socket?.destroy();
  };

  const putFact = (req: IncomingMessage, res: ServerResponse, pathKey: string, body: string): void => {
    counters.writes++;
    const fault = draw();
    if (fault === 'before') {
      unavailable(res);
      return;
    }
    const parsed = parseObject(body);
    const key = header(req, 'idempotency-key');
    if (parsed === undefined || key === undefined || key === '') {
      send(res, 400, { title: 'JSON body and Idempotency-Key required' });
      return;
    }
    if (key !== pathKey || parsed.key !== key) {
      counters.keyMismatches++;
      send(res, 400, { title: 'key in path, header and body differ' });
      return;
    }
    const fact = typeof parsed.fact === 'string' ? parsed.fact : '';
    const subject = typeof parsed.subject === 'string' ? parsed.subject : '';
    const fields = asRecord(parsed.fields);
    const known = byKey.get(key);
    if (known !== undefined) {
      // draft-ietf-httpapi-idempotency-key-header: the same key with another payload is refused.
      if (known.fact !== fact || known.subject !== subject || canonical(known.fields) !== canonical(fields)) {
        counters.conflictingResends++;
        send(res, 422, { title: 'Idempotency-Key reused with another payload' });
        return;
      }
      counters.resendsDeduplicated++;
      if (fault === 'after') {
        cutAfterStore(res);
        return;
      }
      send(res, 200, { id: known.id });
      return;
    }
    const row: FactRow = {
      id: `rec-${facts.length + 1}`,
      key,
      fact,
      subject,
      fields,
      jobId: String(asRecord(parsed.provenance).jobId ?? ''),
    };
    facts.push(row);
    byKey.set(key, row);
    // Lookups find the first record of a (subject, fact); a second one is what the report calls a duplicate.
    if (!bySubjectFact.has(`${subject}\u0000${fact}`)) bySubjectFact.set(`${subject}\u0000${fact}`, row);
    if (fault === 'after') {
      cutAfterStore(res);
      return;
    }
    send(res, 201, { id: row.id });
  };

  const lookup = (res: ServerResponse, url: URL): void => {
    counters.lookups++;
    if (draw() === 'before') {
      unavailable(res);
      return;
    }
    const hit = bySubjectFact.get(
      `${url.searchParams.get('subject') ?? ''}\u0000${url.searchParams.get('fact') ?? ''}`,
    );
    if (hit === undefined) {
      send(res, 404, { title: 'no such fact' });
      return;
    }
    send(res, 200, { id: hit.id, fields: hit.fields });
  };

  const hook = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    counters.hookCalls++;
    const fault = draw();
    if (fault === 'before') {
      unavailable(res);
      return;
    }
    if (!signatureValid(options.signingSecret, header(req, 'x-xgw-signature'), header(req, 'x-xgw-timestamp'), body)) {
      counters.badSignatures++;
      send(res, 401, { title: 'bad signature' });
      return;
    }
    const key = header(req, 'idempotency-key') ?? '';
    const parsed = parseObject(body) ?? {};
    if (key === '' || parsed.id !== key) {
      counters.keyMismatches++;
      send(res, 400, { title: 'Idempotency-Key and body id differ' });
      return;
    }
    if (hookKeys.has(key)) counters.resendsDeduplicated++;
    else {
      hookKeys.add(key);
      notifications.push({ key, event: String(parsed.event ?? ''), jobId: String(asRecord(parsed.job).id ?? '') });
    }
    if (fault === 'after') {
      cutAfterStore(res);
      return;
    }
    send(res, 204);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sink');
    const factPath = /^\/facts\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/health') {
      send(res, 200, { ok: true });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/facts') return lookup(res, url);
    if (req.method === 'PUT' && factPath?.[1] !== undefined)
      return putFact(req, res, decodeURIComponent(factPath[1]), body);
    if (req.method === 'POST' && url.pathname === '/hooks') return hook(req, res, body);
    send(res, 404, { title: 'not found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hookUrl: `http://127.0.0.1:${port}/hooks`,
    facts,
    notifications,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
