import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asRecord, readBody } from './http-body.js';

/** One request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A stored record: the first body received for a key. */
export interface StoredRecord {
  key: string;
  subject: string;
  fact: string;
  body: Record<string, unknown>;
}

export interface HttpRegister {
  url: string;
  /** Every request in arrival order (also repeats). */
  requests: ReceivedRequest[];
  /** Records by key: a well-behaved register stores a repeated key once. */
  records: Map<string, StoredRecord>;
  /** The next writes answer these statuses in order, one each (503: retryable; 400: not). */
  failNext(statuses: number[]): void;
  /** Every write answers after `ms`. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server playing a REST register, a webhook receiver, a bot trigger and a UiPath
 * Orchestrator at once: writes (PUT/POST) are stored once per key (`Idempotency-Key` header, or the
 * UiPath `Reference`), `GET /facts?subject&fact` looks up, `GET /health` answers 200.
 */
export async function startHttpRegister(): Promise<HttpRegister> {
  const requests: ReceivedRequest[] = [];
  const records = new Map<string, StoredRecord>();
  let failures: number[] = [];
  let delayMs = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
    );
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers, body });
    const send = (status: number, value?: unknown): void => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(value === undefined ? '' : JSON.stringify(value));
    };
    if (req.method === 'GET' && url.pathname === '/health') return send(200, { ok: true });
    if (req.method === 'GET' && url.pathname === '/facts') {
      const subject = url.searchParams.get('subject');
      const fact = url.searchParams.get('fact');
      const hit = [...records.values()].find((r) => r.subject === subject && r.fact === fact);
      return hit === undefined ? send(404, { title: 'not found' }) : send(200, { fields: hit.body.fields ?? hit.body });
    }
    if (req.method !== 'PUT' && req.method !== 'POST') return send(405);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const scripted = failures.shift();
    if (scripted !== undefined) return send(scripted, { title: 'scripted failure' });
    let parsed: Record<string, unknown> = {};
    if ((headers['content-type'] ?? '').startsWith('application/xml')) {
      // A Fachverfahren's inbox for reply messages (connector xoev-reply): the XML as it came.
      parsed = { xml: body, subject: headers['x-xoev-reference'] ?? '', fact: headers['x-xoev-message-type'] ?? '' };
    } else
      try {
        parsed = asRecord(JSON.parse(body));
      } catch {
        return send(400, { title: 'not JSON' });
      }
    const startInfo = asRecord(parsed.startInfo);
    const key =
      headers['idempotency-key'] ||
      (typeof startInfo.Reference === 'string' ? startInfo.Reference : '') ||
      url.pathname;
    if (records.has(key)) return send(200, { id: key, duplicate: true, value: [{ Id: 1 }] });
    records.set(key, {
      key,
      subject: typeof parsed.subject === 'string' ? parsed.subject : '',
      fact: typeof parsed.fact === 'string' ? parsed.fact : '',
      body: parsed,
    });
    return send(201, { id: key, value: [{ Id: records.size }] });
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    records,
    failNext: (statuses) => {
      failures = [...statuses];
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
