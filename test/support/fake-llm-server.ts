import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server for tests and benchmarks: the real `openai` SDK talks HTTP to
 * it, so nothing is mocked. By default it plays a deterministic "model" whose answer is valid
 * against the request's JSON Schema and derived from the source text; scripted behaviours
 * produce the faults real providers produce (429, 5xx, hangs, broken or disobedient JSON).
 */

/** What one scripted request does. */
export type FakeBehaviour =
  /** The deterministic default answer (or `responder`'s). */
  | { kind: 'answer' }
  /** Answer with exactly this value as JSON content. */
  | { kind: 'json'; value: unknown }
  /** Answer with this raw content string. */
  | { kind: 'content'; content: string }
  /** The default answer cut short: not parseable JSON. */
  | { kind: 'malformed' }
  /** The default answer with its first required member removed and an extra member added. */
  | { kind: 'schema-violation' }
  /** A classify answer whose labels are `[label]` (outside the set, as an injected model would). */
  | { kind: 'foreign-label'; label: string }
  /** An extract answer whose quotes do not occur in the source. */
  | { kind: 'ungrounded-quote'; quote?: string }
  /** The default answer passed through `fn` (e.g. to "obey" a prompt injection). */
  | { kind: 'transform'; fn: (answer: unknown, request: FakeChatRequest) => unknown }
  /** An HTTP error status, optionally with Retry-After and an error body. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  /** A 200 with an empty `choices` array. */
  | { kind: 'no-choices' }
  /** Never answer (until the client gives up or the server closes). */
  | { kind: 'hang' }
  /** Wait `ms`, then behave as `then` (default: answer). */
  | { kind: 'delay'; ms: number; then?: FakeBehaviour };

/** A chat request as the fake "model" sees it. */
export interface FakeChatRequest {
  body: Record<string, unknown>;
  messages: { role: string; content: string }[];
  /** `response_format.json_schema.schema`, or in `json_object` mode the first ```json block of the system prompt. */
  schema: Record<string, unknown> | undefined;
  /** Text between `<<<SOURCE-x>>>` markers of the last user message with them (else the last user message). */
  source: string;
  /** Labels listed as `- code: name (keywords)` lines in the user messages. */
  labels: { code: string; words: string[] }[];
}

export interface FakeLlmOptions {
  /** When false, `response_format.type: 'json_schema'` is rejected with 400 like some providers. @defaultValue true */
  supportsJsonSchema?: boolean;
  /** Fixed latency before every chat answer, for benchmarks. @defaultValue 0 */
  latencyMs?: number;
  /** Replaces the built-in deterministic answer. */
  responder?: (request: FakeChatRequest) => unknown;
  /** Behaviour when the queue is empty. @defaultValue `{ kind: 'answer' }` */
  behaviour?: FakeBehaviour;
  /** Model ids listed by GET /v1/models. @defaultValue ['fake-model'] */
  models?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (the raw string when it did not parse, undefined without body). */
  body: unknown;
}

export interface FakeLlm {
  /** Base URL including `/v1`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Number of POST /v1/chat/completions received. */
  readonly calls: number;
  /** Behaviour once the queue is empty. */
  setBehaviour(behaviour: FakeBehaviour): void;
  /** Behaviours for the next chat requests, one each, before falling back to the default. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** Forget requests, queue and calls; default behaviour back to `answer`. */
  reset(): void;
  close(): Promise<void>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}
function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 4);
}
function count(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Read the parts of a chat body the fake model needs, tolerating anything malformed. */
export function viewRequest(body: Record<string, unknown>): FakeChatRequest {
  const messages = (Array.isArray(body['messages']) ? body['messages'] : []).map((m) => {
    const r = rec(m);
    return { role: String(r['role'] ?? ''), content: typeof r['content'] === 'string' ? r['content'] : '' };
  });
  const format = rec(body['response_format']);
  let schema: Record<string, unknown> | undefined;
  if (format['type'] === 'json_schema') schema = rec(rec(format['json_schema'])['schema']);
  else {
    const system = messages.find((m) => m.role === 'system')?.content ?? '';
    const block = /```json\s*([\s\S]*?)```/u.exec(system)?.[1];
    if (block !== undefined) {
      try {
        schema = rec(JSON.parse(block));
      } catch {
        schema = undefined;
      }
    }
  }
  const users = messages.filter((m) => m.role === 'user').map((m) => m.content);
  const marked = users
    .map((u) => /<<<SOURCE-(\w+)>>>\n([\s\S]*?)\n<<<END-SOURCE-\1>>>/u.exec(u)?.[2])
    .filter((s) => s !== undefined);
  const source = marked.at(-1) ?? users.at(-1) ?? '';
  const labels: FakeChatRequest['labels'] = [];
  for (const u of users) {
    const head = u.split('<<<SOURCE-')[0] ?? '';
    for (const m of head.matchAll(/^- ([^:\n]+): (.+)$/gmu))
      labels.push({ code: m[1] ?? '', words: words(m[2] ?? '') });
  }
  return { body, messages, schema, source, labels };
}

/** Classify: the enum code whose label words occur most often in the source. */
function classifyAnswer(req: FakeChatRequest, labelsSchema: Record<string, unknown>): unknown {
  const enumValues = rec(labelsSchema['items'])['enum'];
  const codes: unknown[] = Array.isArray(enumValues) ? enumValues : [];
  const text = req.source.toLowerCase();
  const scored = codes.map((c) => {
    const code = String(c);
    const ws = req.labels.find((l) => l.code === code)?.words ?? [];
    return { code: c, score: ws.reduce((s, w) => s + count(text, w), 0) + count(text, code.toLowerCase()) };
  });
  const best = [...scored].sort((a, b) => b.score - a.score)[0];
  const multi = typeof labelsSchema['maxItems'] === 'number' && labelsSchema['maxItems'] > 1;
  const chosen =
    multi && best !== undefined && best.score > 0
      ? scored.filter((s) => s.score > 0)
      : best === undefined
        ? []
        : [best];
  const top = best?.score ?? 0;
  return {
    labels: chosen.map((s) => s.code),
    confidence: top > 0 ? Math.min(0.95, 0.6 + 0.1 * top) : 0.2,
    rationale: top > 0 ? `${top} Stichwort-Treffer im Text.` : 'Keine Stichworte gefunden.',
  };
}

/** Extract: for each field, the rest of a `Name: value` line naming the field (or its description). */
function extractField(req: FakeChatRequest, name: string, fieldSchema: Record<string, unknown>): unknown {
  const valueSchema = rec(rec(fieldSchema['properties'])['value']);
  const types = list(valueSchema['type']);
  const keys = [
    name.toLowerCase(),
    name.replace(/([a-z])([A-Z])/gu, '$1 $2').toLowerCase(),
    ...words(String(valueSchema['description'] ?? '')),
  ];
  for (const line of req.source.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || !keys.some((k) => line.slice(0, colon).toLowerCase().includes(k))) continue;
    const raw = line
      .slice(colon + 1)
      .trim()
      .replace(/[.;,]$/u, '');
    if (raw === '') continue;
    if (types.includes('number') || types.includes('integer')) {
      const num = /-?\d+(?:[.,]\d+)?/u.exec(raw)?.[0];
      if (num === undefined) continue;
      const value = Number(num.replace(',', '.'));
      return { value: types.includes('integer') ? Math.trunc(value) : value, quote: num, confidence: 0.9 };
    }
    if (types.includes('boolean')) return { value: !/^(nein|no|false)\b/iu.test(raw), quote: raw, confidence: 0.8 };
    return { value: raw, quote: raw, confidence: 0.9 };
  }
  return { value: null, quote: null, confidence: 0 };
}

/** Any schema: a minimal valid value (first enum, minimum, minItems copies, all properties). */
function fill(schema: Record<string, unknown>): unknown {
  if (Array.isArray(schema['enum'])) return schema['enum'][0];
  const type = list(schema['type'])[0];
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rec(schema['properties']))) out[k] = fill(rec(v));
      return out;
    }
    case 'array': {
      const n = typeof schema['minItems'] === 'number' ? schema['minItems'] : 0;
      return Array.from({ length: n }, () => fill(rec(schema['items'])));
    }
    case 'number':
    case 'integer':
      return typeof schema['minimum'] === 'number' ? schema['minimum'] : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return '';
  }
}

/** Summarise: the source's first sentences that say something, each quoting itself verbatim. */
function summaryAnswer(req: FakeChatRequest, sentencesSchema: Record<string, unknown>): unknown {
  const max = typeof sentencesSchema['maxItems'] === 'number' ? sentencesSchema['maxItems'] : 3;
  const sentences = req.source
    .split(/(?<=[.!?])\s+|\n+/u)
    .map((x) => x.trim())
    .filter((x) => x.split(/\s+/u).length >= 4 && !x.includes(':'))
    .slice(0, max);
  const chosen = sentences.length > 0 ? sentences : [req.source.trim().slice(0, 200) || '-'];
  return { sentences: chosen.map((x) => ({ text: `Die Person schreibt: ${x}`, quotes: [x] })) };
}

/** The built-in deterministic model. */
export function defaultAnswer(req: FakeChatRequest): unknown {
  const props = rec(req.schema?.['properties']);
  if (isRecord(props['labels'])) return classifyAnswer(req, props['labels']);
  if (isRecord(props['sentences'])) return summaryAnswer(req, props['sentences']);
  if (isRecord(props['fields'])) {
    const fields: Record<string, unknown> = {};
    for (const [name, s] of Object.entries(rec(props['fields']['properties'])))
      fields[name] = extractField(req, name, rec(s));
    return { fields };
  }
  return req.schema === undefined ? {} : fill(req.schema);
}

function mutate(behaviour: FakeBehaviour, answer: unknown, req: FakeChatRequest): unknown {
  const a = structuredClone(rec(answer));
  switch (behaviour.kind) {
    case 'schema-violation': {
      const first = list(req.schema?.['required'] ?? Object.keys(a))[0];
      if (typeof first === 'string') delete a[first];
      return { ...a, unexpected: true };
    }
    case 'foreign-label':
      return { ...a, labels: [behaviour.label] };
    case 'ungrounded-quote': {
      if (Array.isArray(a['sentences']))
        return {
          sentences: a['sentences'].map((x) => ({
            ...rec(x),
            quotes: [behaviour.quote ?? 'Dieses Zitat steht nirgends im Text'],
          })),
        };
      const fields = rec(a['fields']);
      for (const [k, f] of Object.entries(fields))
        fields[k] = {
          ...rec(f),
          value: rec(f)['value'] ?? 'erfunden',
          quote: behaviour.quote ?? 'Dieses Zitat steht nirgends im Text',
        };
      return a;
    }
    case 'transform':
      return behaviour.fn(answer, req);
    default:
      return answer;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** Start a fake provider on 127.0.0.1 with an ephemeral port. */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const queue: FakeBehaviour[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let fallback: FakeBehaviour = options.behaviour ?? { kind: 'answer' };
  let calls = 0;

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const answer = (res: ServerResponse, body: Record<string, unknown>, behaviour: FakeBehaviour): void => {
    const req = viewRequest(body);
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'delay':
        later(behaviour.ms, () => answer(res, body, behaviour.then ?? { kind: 'answer' }));
        return;
      case 'status': {
        const headers: Record<string, string> =
          behaviour.retryAfter === undefined ? {} : { 'retry-after': behaviour.retryAfter };
        sendJson(
          res,
          behaviour.status,
          behaviour.body ?? { error: { message: `fake error ${behaviour.status}`, type: 'fake_error', code: null } },
          headers,
        );
        return;
      }
      default:
    }
    let content: string;
    if (behaviour.kind === 'content') content = behaviour.content;
    else if (behaviour.kind === 'json') content = JSON.stringify(behaviour.value);
    else {
      const base = (options.responder ?? defaultAnswer)(req);
      content = JSON.stringify(mutate(behaviour, base, req));
      if (behaviour.kind === 'malformed') content = content.slice(0, Math.max(1, content.length - 3));
    }
    const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
    const usage = {
      prompt_tokens: Math.ceil(promptChars / 4),
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const choices =
      behaviour.kind === 'no-choices'
        ? []
        : [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }];
    sendJson(res, 200, {
      id: `chatcmpl-fake-${calls}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(body['model'] ?? 'fake-model'),
      choices,
      usage,
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    let body: unknown = raw === '' ? undefined : raw;
    try {
      if (raw !== '') body = JSON.parse(raw);
    } catch {
      // keep the raw string so a test can see what was sent
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? '', path, headers: { ...req.headers }, body });
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
      return;
    }
    calls++;
    if (!isRecord(body)) {
      sendJson(res, 400, { error: { message: 'body is not a JSON object', type: 'invalid_request_error' } });
      return;
    }
    if (options.supportsJsonSchema === false && rec(body['response_format'])['type'] === 'json_schema') {
      sendJson(res, 400, {
        error: {
          message: "response_format type 'json_schema' is not supported; use 'json_object'",
          type: 'invalid_request_error',
          param: 'response_format',
        },
      });
      return;
    }
    const behaviour = queue.shift() ?? fallback;
    const b = body;
    if ((options.latencyMs ?? 0) > 0) later(options.latencyMs ?? 0, () => answer(res, b, behaviour));
    else answer(res, b, behaviour);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address: AddressInfo | string | null = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${String(port)}/v1`,
    requests,
    get calls() {
      return calls;
    },
    setBehaviour(b) {
      fallback = b;
    },
    enqueue(...b) {
      queue.push(...b);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      calls = 0;
      fallback = options.behaviour ?? { kind: 'answer' };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
