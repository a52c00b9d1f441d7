/**
 * Example RPA bot client for xoev-ai-gateway, with nothing but fetch and node:crypto/node:http.
 *
 * 1. starts a small HTTP server for the gateway's callback,
 * 2. submits a task with POST /v1/jobs and `callbackUrl` pointing at that server,
 * 3. waits for the signed callback, verifies the signature (HMAC-SHA256 over
 *    `timestamp + "." + body`, constant-time compare, timestamps older than 5 minutes rejected),
 * 4. prints the structured result and exits.
 *
 * Run the gateway with the same secret and allow the callback to reach this machine:
 *   CALLBACK_SIGNING_SECRET=change-me OUTBOUND_ALLOWLIST=127.0.0.1 npm start
 *   CALLBACK_SIGNING_SECRET=change-me npx tsx examples/bot/bot.ts
 *
 * Environment: GATEWAY_URL, or HOST and PORT as the gateway reads them (default http://127.0.0.1:8080),
 * CALLBACK_SIGNING_SECRET, API_KEY
 * (sent as X-API-Key when the gateway requires auth), BOT_TIMEOUT_MS (default 60000).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the gateway listens: GATEWAY_URL, else the HOST and PORT the gateway itself reads. */
const GATEWAY_URL = (
  process.env.GATEWAY_URL ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '8080'}`
).replace(/\/$/, '');
const SECRET = process.env.CALLBACK_SIGNING_SECRET ?? '';
const API_KEY = process.env.API_KEY;
const TIMEOUT_MS = Number(process.env.BOT_TIMEOUT_MS ?? '60000');
const TOLERANCE_S = 300;

/** Constant-time check of `X-XGW-Signature: v1=<hex>` over `<X-XGW-Timestamp>.<raw body>`. */
function verifySignature(
  secret: string,
  signature: string | undefined,
  timestamp: string | undefined,
  rawBody: string,
  nowS = Math.floor(Date.now() / 1000),
): boolean {
  if (signature === undefined || timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  // Reject old (and far-future) timestamps so a recorded callback cannot be replayed later.
  if (Math.abs(nowS - Number(timestamp)) > TOLERANCE_S) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Callback {
  event: string;
  job: { id: string; state: string; result?: unknown; failedReason?: unknown };
}

function isCallback(value: unknown): value is Callback {
  if (typeof value !== 'object' || value === null || !('event' in value) || !('job' in value)) return false;
  const job = value.job;
  return typeof value.event === 'string' && typeof job === 'object' && job !== null && 'id' in job && 'state' in job;
}

/** Starts the callback server; resolves the first verified callback for `jobId()`. */
async function startCallbackServer(
  jobId: () => string | undefined,
): Promise<{ url: string; server: Server; callback: Promise<Callback> }> {
  let deliver: (c: Callback) => void = () => undefined;
  const callback = new Promise<Callback>((resolve) => (deliver = resolve));
  const early: Callback[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      // Verify over the raw bytes, before parsing: a re-serialised body would not match.
      if (
        !verifySignature(
          SECRET,
          req.headers['x-xgw-signature']?.toString(),
          req.headers['x-xgw-timestamp']?.toString(),
          raw,
        )
      ) {
        res.writeHead(401).end();
        console.error('callback rejected: bad or stale signature');
        return;
      }
      res.writeHead(204).end();
      const value: unknown = JSON.parse(raw);
      if (!isCallback(value)) return;
      // The callback can arrive before the POST's answer is read; keep it until the id is known.
      if (jobId() === undefined) early.push(value);
      else if (value.job.id === jobId()) deliver(value);
    })().catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const flush = setInterval(() => {
    const id = jobId();
    if (id === undefined) return;
    const hit = early.find((c) => c.job.id === id);
    if (hit !== undefined) deliver(hit);
    clearInterval(flush);
  }, 50);
  void callback.finally(() => clearInterval(flush));
  return { url: `http://127.0.0.1:${port}/xgw-callback`, server, callback };
}

async function main(): Promise<void> {
  if (SECRET === '') throw new Error('set CALLBACK_SIGNING_SECRET (the same value as the gateway)');
  let jobId: string | undefined;
  const { url, server, callback } = await startCallbackServer(() => jobId);
  try {
    const task = {
      task: 'extract',
      text: 'Widerspruch zum Bescheid Az. 63-2024-00123 vom 12.03.2024. Bitte Erstattung auf DE89 3704 0044 0532 0130 00, Rückfragen an bauamt@musterstadt.de.',
      schema: {
        type: 'object',
        properties: {
          aktenzeichen: { type: 'string', 'x-entity': 'aktenzeichen' },
          datum: { type: 'string', 'x-entity': 'date' },
          iban: { type: 'string', 'x-entity': 'iban' },
          email: { type: 'string', 'x-entity': 'email' },
        },
      },
      callbackUrl: url,
      reference: 'bot-case-4711',
    };
    const res = await fetch(`${GATEWAY_URL}/v1/jobs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `bot-${Date.now()}`,
        ...(API_KEY === undefined ? {} : { 'x-api-key': API_KEY }),
      },
      body: JSON.stringify(task),
    }).catch((error: unknown) => {
      // fetch says only "fetch failed"; name the address, so a wrong port is seen at once.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new Error(
        `the gateway at ${GATEWAY_URL} could not be reached${cause} (set GATEWAY_URL, or PORT as for the gateway)`,
      );
    });
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`POST /v1/jobs answered ${res.status}: ${await res.text()}`);
    const accepted: unknown = await res.json();
    if (typeof accepted !== 'object' || accepted === null || !('id' in accepted) || typeof accepted.id !== 'string')
      throw new Error('POST /v1/jobs answered without a job id');
    jobId = accepted.id;
    console.log(`job ${jobId} accepted; waiting for the signed callback on ${url}`);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no callback within ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref(),
    );
    const done = await Promise.race([callback, timeout]);
    console.log(`callback verified: event ${done.event}, job ${done.job.id} is ${done.job.state}`);
    console.log(JSON.stringify(done.job.result ?? done.job.failedReason ?? null, null, 2));
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bot: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
