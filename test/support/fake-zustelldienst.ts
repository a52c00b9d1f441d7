import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { CompactEncrypt, compactVerify, type CryptoKey, type KeyObject, exportJWK, generateKeyPair } from 'jose';
import { readBody } from './http-body.js';

type PublicKey = CryptoKey | KeyObject;

/** A part of a test submission: its bytes and how the metadata describes it. */
export interface TestAttachment {
  id?: string;
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

export interface StoredSubmission {
  submissionId: string;
  caseId: string;
  destinationId: string;
  encryptedMetadata: string;
  encryptedData?: string;
  attachments: Map<string, string>;
  state: 'submitted' | 'accepted' | 'rejected';
  events: { type: string; payload: Record<string, unknown>; header: Record<string, unknown> }[];
}

export interface FakeZustelldienst {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  submissions: Map<string, StoredSubmission>;
  /** Tokens issued so far (a 401 makes the client fetch another). */
  readonly tokens: number;
  /** The next authorised request answers 401 (the token "expired" early). */
  expireTokenOnce(): void;
  /** The next authorised requests answer these statuses (503: the service is down), one each. */
  failNext(statuses: number[]): void;
  /** The next event posted is read and never answered (its sender hangs there); how many were held. */
  holdNextEvent(): void;
  readonly heldEvents: number;
  /** Encrypts and stores a submission for the destination; `tamper` breaks one part on purpose. */
  submit(options: {
    data?: { bytes: Buffer; mimeType: 'application/xml' | 'application/json'; schemaUri?: string };
    attachments?: TestAttachment[];
    tamper?:
      | 'data-hash'
      | 'undeclared-attachment'
      | 'missing-attachment'
      | 'wrong-key'
      | 'metadata-not-json'
      | 'corrupt-jwe'
      | 'foreign-kid';
  }): Promise<StoredSubmission>;
  /** Sends a callback about the submissions to `url`, signed with `secret` (HMAC-SHA512 over `timestamp.body`). */
  callback(url: string, secret: string, submissionIds: string[], timestamp?: number): Promise<Response>;
  close(): Promise<void>;
}

const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('hex');

/**
 * A Zustelldienst as FIT-Connect's Submission API shows it to a subscriber (issue #18): OAuth
 * client credentials, the destination's submissions, each submission's encrypted metadata, data
 * and attachments (compact JWE for the destination's public key, SHA-512 hashes in the metadata),
 * and the events a subscriber posts, whose PS512 signature it verifies with the subscriber's key.
 */
export async function startFakeZustelldienst(options: {
  destinationId: string;
  encryptionKey: PublicKey;
  /** The subscriber's public signature key: events not signed with it are refused. */
  verificationKey: PublicKey;
  /** Another key, for a submission the destination cannot decrypt. */
  otherKey?: PublicKey;
}): Promise<FakeZustelldienst> {
  const clientId = `client-${randomUUID().slice(0, 8)}`;
  const clientSecret = randomUUID();
  const submissions = new Map<string, StoredSubmission>();
  const valid = new Set<string>();
  let tokens = 0;
  let expire = false;
  const failures: number[] = [];
  let holdEvent = false;
  let heldEvents = 0;

  const encrypt = (bytes: Buffer, cty: string, key: PublicKey = options.encryptionKey, kid = 'dest-1') =>
    new CompactEncrypt(bytes).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty, kid }).encrypt(key);

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body?: unknown, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
    };
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== clientId ||
        form.get('client_secret') !== clientSecret
      )
        return send(401, { error: 'invalid_client' });
      tokens++;
      const token = randomUUID();
      valid.add(token);
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: 1800 });
    }
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !valid.has(bearer)) return send(401, { error: 'invalid_token' });
    if (expire) {
      expire = false;
      valid.delete(bearer);
      return send(401, { error: 'invalid_token' });
    }
    const failure = failures.shift();
    if (failure !== undefined) return send(failure, { detail: 'simulated failure' });
    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (req.method === 'GET' && url.pathname === '/v1/submissions') {
      const waiting = [...submissions.values()].filter(
        (s) => s.state === 'submitted' && s.destinationId === url.searchParams.get('destinationId'),
      );
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const page = waiting.slice(offset, offset + limit);
      return send(200, {
        count: page.length,
        offset,
        totalCount: waiting.length,
        submissions: page.map((s) => ({
          destinationId: s.destinationId,
          submissionId: s.submissionId,
          caseId: s.caseId,
        })),
      });
    }
    if (req.method === 'GET' && parts[0] === 'v1' && parts[1] === 'submissions' && parts[2] !== undefined) {
      const s = submissions.get(parts[2]);
      if (s === undefined || s.state !== 'submitted') return send(404, { type: 'submission-not-found' });
      if (parts[3] === 'attachments' && parts[4] !== undefined) {
        const a = s.attachments.get(parts[4]);
        return a === undefined ? send(404, {}) : send(200, a, 'application/jose');
      }
      return send(200, {
        destinationId: s.destinationId,
        submissionId: s.submissionId,
        caseId: s.caseId,
        encryptedMetadata: s.encryptedMetadata,
        ...(s.encryptedData === undefined ? {} : { encryptedData: s.encryptedData }),
        attachments: [...s.attachments.keys()],
      });
    }
    if (req.method === 'POST' && parts[0] === 'v1' && parts[1] === 'cases' && parts[3] === 'events') {
      if (holdEvent) {
        holdEvent = false;
        heldEvents++;
        return;
      }
      if (req.headers['content-type'] !== 'application/jose') return send(415, {});
      let verified;
      try {
        verified = await compactVerify(body.trim(), options.verificationKey, { algorithms: ['PS512'] });
      } catch {
        return send(422, { detail: 'signature' });
      }
      const payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
      const s = [...submissions.values()].find(
        (x) => `case:${x.caseId}` === payload.txn && `submission:${x.submissionId}` === payload.sub,
      );
      if (s === undefined || s.caseId !== parts[2]) return send(404, {});
      if (s.state !== 'submitted') return send(409, { detail: 'already answered' });
      const events = payload.events as Record<string, Record<string, unknown>>;
      const type = Object.keys(events)[0] ?? '';
      s.events.push({ type, payload, header: verified.protectedHeader as Record<string, unknown> });
      s.state = type.endsWith('accept-submission') ? 'accepted' : 'rejected';
      return send(204);
    }
    return send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    tokenUrl: `${base}/token`,
    clientId,
    clientSecret,
    submissions,
    get tokens() {
      return tokens;
    },
    expireTokenOnce() {
      expire = true;
    },
    failNext(statuses) {
      failures.push(...statuses);
    },
    holdNextEvent() {
      holdEvent = true;
    },
    get heldEvents() {
      return heldEvents;
    },
    async submit(o) {
      const submissionId = randomUUID();
      const caseId = randomUUID();
      const attachments = (o.attachments ?? []).map((a) => ({ ...a, id: a.id ?? randomUUID() }));
      const declared = o.tamper === 'undeclared-attachment' ? attachments.slice(1) : attachments;
      const metadata = {
        $schema: 'https://schema.fitko.de/fit-connect/metadata/1.2.0/metadata.schema.json',
        contentStructure: {
          ...(o.data === undefined
            ? {}
            : {
                data: {
                  hash: {
                    type: 'sha512',
                    content: o.tamper === 'data-hash' ? sha512(Buffer.from('other')) : sha512(o.data.bytes),
                  },
                  submissionSchema: { schemaUri: o.data.schemaUri ?? 'urn:xoev-de:xbau', mimeType: o.data.mimeType },
                },
              }),
          attachments: declared.map((a) => ({
            attachmentId: a.id,
            hash: { type: 'sha512', content: sha512(a.bytes) },
            filename: a.filename,
            mimeType: a.mimeType,
            purpose: 'attachment',
          })),
        },
      };
      const key = o.tamper === 'wrong-key' && options.otherKey !== undefined ? options.otherKey : options.encryptionKey;
      const stored: StoredSubmission = {
        submissionId,
        caseId,
        destinationId: options.destinationId,
        encryptedMetadata: await encrypt(
          o.tamper === 'metadata-not-json' ? Buffer.from('<kein json>') : Buffer.from(JSON.stringify(metadata)),
          'application/json',
          key,
          o.tamper === 'foreign-kid' ? 'dest-2' : 'dest-1',
        ),
        ...(o.data === undefined
          ? {}
          : {
              encryptedData:
                o.tamper === 'corrupt-jwe'
                  ? (await encrypt(o.data.bytes, o.data.mimeType)).replace(/\.([A-Za-z0-9_-]{8})/, '.AAAAAAAA')
                  : await encrypt(o.data.bytes, o.data.mimeType),
            }),
        attachments: new Map(),
        state: 'submitted',
        events: [],
      };
      const sent = o.tamper === 'missing-attachment' ? attachments.slice(1) : attachments;
      for (const a of sent) stored.attachments.set(a.id, await encrypt(a.bytes, a.mimeType));
      submissions.set(submissionId, stored);
      return stored;
    },
    async callback(url, secret, submissionIds, timestamp = Math.floor(Date.now() / 1000)) {
      const body = JSON.stringify({
        type: 'https://schema.fitko.de/fit-connect/submission-api/callbacks/new-submissions',
        submissions: submissionIds.map((id) => {
          const s = submissions.get(id);
          return { destinationId: options.destinationId, submissionId: id, caseId: s?.caseId };
        }),
      });
      const mac = createHmac('sha512', secret).update(`${timestamp}.${body}`).digest('hex');
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'callback-authentication': mac,
          'callback-timestamp': String(timestamp),
        },
        body,
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A held event's connection would keep the server open.
        server.closeAllConnections();
      }),
  };
}

/**
 * The `fit-connect` entry of a connectors file for a simulated destination, with the keys
 * `decrypt.jwk` and `sign.jwk` in `keyDir`; `config` and `secrets` add to or replace the defaults.
 */
export function fitConnectEntry(
  zd: FakeZustelldienst,
  destinationId: string,
  keyDir: string,
  config: Record<string, unknown> = {},
  secrets: Record<string, string> = { clientId: 'FC_CLIENT_ID', clientSecret: 'FC_CLIENT_SECRET' },
): { type: 'fit-connect'; config: Record<string, unknown>; secrets: Record<string, string> } {
  return {
    type: 'fit-connect',
    config: {
      destinationId,
      submissionApi: zd.url,
      tokenUrl: zd.tokenUrl,
      decryptionKeyFile: join(keyDir, 'decrypt.jwk'),
      signingKeyFile: join(keyDir, 'sign.jwk'),
      // 2048-bit test keys keep the suites quick; production keys have 4096.
      minKeyBits: 2048,
      ...config,
    },
    secrets,
  };
}

/**
 * A destination's key pairs as a subscriber keeps them: `decrypt.jwk` (RSA-OAEP-256) and `sign.jwk`
 * (PS512) written to `dir` with the given kids; the public halves are for the simulator. 2048-bit
 * keys keep the suites quick; FIT-Connect's destinations use 4096.
 */
export async function writeDestinationKeys(
  dir: string,
  kids: { decrypt?: string; sign: string } = { sign: 'sig' },
): Promise<{ encryptionKey: PublicKey; verificationKey: PublicKey }> {
  const encryption = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true });
  const signing = await generateKeyPair('PS512', { modulusLength: 2048, extractable: true });
  const decryptJwk = await exportJWK(encryption.privateKey);
  await writeFile(
    join(dir, 'decrypt.jwk'),
    JSON.stringify(kids.decrypt === undefined ? decryptJwk : { ...decryptJwk, kid: kids.decrypt }),
  );
  await writeFile(join(dir, 'sign.jwk'), JSON.stringify({ ...(await exportJWK(signing.privateKey)), kid: kids.sign }));
  return { encryptionKey: encryption.publicKey, verificationKey: signing.publicKey };
}
