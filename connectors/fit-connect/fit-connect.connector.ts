import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { importJWK, type JWK } from 'jose';
import {
  ConnectorError,
  defineConnector,
  InboundRefusal,
  type Connector,
  type ConnectorContext,
  type ConnectorManifest,
  type InboundMessage,
  type InboundNotice,
  type InboundReceipt,
  type InboundReport,
} from '../connector.js';
import { KeyMismatchError, signSubmissionEvent, type PrivateKey, type RejectionProblem } from './fit-connect-crypto.js';
import { openSubmission, problem } from './submission.js';
import { Zustelldienst, type SubmissionRef } from './zustelldienst.js';

/** One destination the gateway receives for, at one Zustelldienst. */
export interface FitConnectConfig {
  destinationId: string;
  /** The Submission API's base URL. */
  submissionApi: string;
  /** The OAuth token endpoint. */
  tokenUrl: string;
  /** The destination's private decryption key (JWK, RSA-OAEP-256), a file only the gateway reads. */
  decryptionKeyFile: string;
  /** The destination's private signature key (JWK, PS512), for accept and reject events. */
  signingKeyFile: string;
  /** Seconds between two looks at the destination's submissions (with jitter). @defaultValue 60 */
  pollIntervalSeconds: number;
  /** The `$schema` of the events' payload. @defaultValue set-payload 1.2.2 */
  setPayloadSchema: string;
  /** Largest encrypted part read, in bytes. @defaultValue 16 MiB */
  maxBytes: number;
  /** @defaultValue 50 */
  maxAttachments: number;
  /** The tenant the submissions' jobs belong to. @defaultValue default */
  tenant: string;
  /**
   * When a submission is accepted: `receipt` (once its job exists) or `analysis` (once its job is
   * analysed: waiting for a person, delivered or done; a submission whose job failed is held).
   * @defaultValue receipt
   */
  acceptOn: 'receipt' | 'analysis';
  /** Smallest RSA modulus accepted in the key files, in bits (FIT-Connect asks for 4096). @defaultValue 4096 */
  minKeyBits: number;
}

const manifest: ConnectorManifest<FitConnectConfig> = {
  id: 'fit-connect',
  version: '0.1.0',
  description:
    'Receives OZG submissions of one FIT-Connect destination as its subscriber: fetches, decrypts and checks them, hands the Fachdaten and attachments to the gateway, and accepts or rejects each with a signed event.',
  capabilities: ['inbound'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['destinationId', 'submissionApi', 'tokenUrl', 'decryptionKeyFile', 'signingKeyFile'],
    properties: {
      destinationId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' },
      submissionApi: { type: 'string', pattern: '^https?://[^\\s]+$' },
      tokenUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
      decryptionKeyFile: { type: 'string', minLength: 1 },
      signingKeyFile: { type: 'string', minLength: 1 },
      pollIntervalSeconds: { type: 'integer', minimum: 5, default: 60 },
      setPayloadSchema: {
        type: 'string',
        default: 'https://schema.fitko.de/fit-connect/set-payload/1.2.2/set-payload.schema.json',
      },
      maxBytes: { type: 'integer', minimum: 1024, default: 16 * 1024 * 1024 },
      maxAttachments: { type: 'integer', minimum: 0, default: 50 },
      tenant: { type: 'string', minLength: 1, maxLength: 200, default: 'default' },
      acceptOn: { type: 'string', enum: ['receipt', 'analysis'], default: 'receipt' },
      minKeyBits: { type: 'integer', minimum: 2048, default: 4096 },
    },
  },
  secrets: [
    { name: 'clientId', required: true, doc: "The subscriber client's id at the token endpoint." },
    { name: 'clientSecret', required: true, doc: "The subscriber client's secret." },
    { name: 'callbackSecret', required: false, doc: 'The secret the Zustelldienst signs its callbacks with.' },
  ],
};

/** What became of one submission: answered, or taken and waiting for its analysis before the answer. */
export type PickUpOutcome = 'accepted' | 'rejected' | 'waiting';

/** What became of one submission, as reported (without the ids the report adds). */
type Settled = Omit<InboundReport, 'ref' | 'ids' | 'tenant' | 'outcome'> & { outcome: PickUpOutcome };

/** How the gateway takes a submission's Fachdaten: its intake, which tells the job. */
export type Intake = (message: InboundMessage) => Promise<InboundReceipt>;
/** Where the connector tells what became of each submission (audit trail, metrics, held list). */
export type Reporter = (report: InboundReport) => Promise<void>;

/** A submission the gateway took but cannot answer for (its job failed): held for an operator. */
class HeldSubmission extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'HeldSubmission';
  }
}

/** The name of a rejection problem (`encryption-issue`, `hash-mismatch`, …), a bounded label. */
function problemName(p: RejectionProblem | undefined): string {
  return p?.type.split('/').pop() ?? 'problem';
}

/** A bounded reason for a submission that could not be handled now (a metric label). */
function heldReason(error: unknown): string {
  if (error instanceof HeldSubmission) return error.reason;
  if (error instanceof KeyMismatchError || (error instanceof ConnectorError && error.cause instanceof KeyMismatchError))
    return 'key';
  if (error instanceof ConnectorError) return error.retryable ? 'service' : 'config';
  // The gateway's own refusal (an AppError) carries its code; connectors see only their contract.
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && /^XGW_[A-Z_]+$/.test(code) ? code : 'error';
}

/** A private JWK from a file, for one use; the key never appears in an error or log. */
async function privateKey(
  file: string,
  alg: 'RSA-OAEP-256' | 'PS512',
  minBits: number,
): Promise<{ key: PrivateKey; kid: string }> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new ConnectorError(`the key file ${file} cannot be read as a JWK`, false);
  }
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    Reflect.get(jwk, 'kty') !== 'RSA' ||
    typeof Reflect.get(jwk, 'd') !== 'string'
  )
    throw new ConnectorError(`the key file ${file} holds no private RSA JWK`, false);
  const modulus = Reflect.get(jwk, 'n');
  const bits = typeof modulus === 'string' ? Buffer.from(modulus, 'base64url').length * 8 : 0;
  if (bits < minBits)
    throw new ConnectorError(`the key in ${file} has ${bits} bits; at least ${minBits} are required`, false);
  const kid = Reflect.get(jwk, 'kid');
  const fields: JWK = {
    kty: 'RSA',
    ...Object.fromEntries(Object.entries(jwk).filter(([, v]) => typeof v === 'string')),
  };
  const imported = await importJWK(fields, alg);
  if (imported instanceof Uint8Array) throw new ConnectorError(`the key file ${file} holds no RSA key`, false);
  return { key: imported, kid: typeof kid === 'string' ? kid : '' };
}

/** The FIT-Connect connector, with `pickUp` for one submission (the poller and the callback call it). */
export interface FitConnectConnector extends Connector {
  pickUp(ref: SubmissionRef, submit: Intake, report?: Reporter): Promise<PickUpOutcome>;
  /** The submissions waiting now (all pages). */
  waiting(): Promise<SubmissionRef[]>;
}

export function createFitConnect(config: FitConnectConfig, context: ConnectorContext): FitConnectConnector {
  const clientId = context.secrets.clientId ?? '';
  const clientSecret = context.secrets.clientSecret ?? '';
  const zd = new Zustelldienst({
    submissionApi: config.submissionApi,
    tokenUrl: config.tokenUrl,
    clientId,
    clientSecret,
    fetch: context.fetch,
    maxBytes: config.maxBytes,
  });
  let keys: Promise<{ decrypt: PrivateKey; decryptKid: string; sign: PrivateKey; kid: string }> | undefined;
  const loadKeys = () => {
    // Both read at once; a failure is reported in a fixed order (the decryption key first), not by
    // whichever file was read faster.
    keys ??= Promise.allSettled([
      privateKey(config.decryptionKeyFile, 'RSA-OAEP-256', config.minKeyBits),
      privateKey(config.signingKeyFile, 'PS512', config.minKeyBits),
    ]).then(([d, s]) => {
      if (d.status === 'rejected') throw d.reason;
      if (s.status === 'rejected') throw s.reason;
      return { decrypt: d.value.key, decryptKid: d.value.kid, sign: s.value.key, kid: s.value.kid };
    });
    keys.catch(() => (keys = undefined));
    return keys;
  };
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  /** The gateway's intake, once `receive` started: a callback then starts a round at once. */
  let intake: { submit: Intake; report: Reporter } | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const answer = async (
    ref: { submissionId: string; caseId: string },
    event: Parameters<typeof signSubmissionEvent>[0]['payload'],
    kind: 'accept' | 'reject',
  ): Promise<void> => {
    const k = await loadKeys();
    const set = await signSubmissionEvent({
      destinationId: config.destinationId,
      submissionId: ref.submissionId,
      caseId: ref.caseId,
      event: kind,
      payload: event,
      key: k.sign,
      kid: k.kid,
      schema: config.setPayloadSchema,
    });
    await zd.postEvent(ref.caseId, set);
  };
  const reject = (ref: { submissionId: string; caseId: string }, problems: RejectionProblem[]) =>
    answer(ref, { problems }, 'reject');

  /** Why a rejection: the name of its first problem (`encryption-issue`, …) or the gateway's code. */
  const rejected = async (
    submission: { submissionId: string; caseId: string },
    problems: RejectionProblem[],
    reason: string,
  ): Promise<Settled> => {
    await reject(submission, problems);
    return { outcome: 'rejected', reason, detail: problems.map((p) => p.detail).join('; ') };
  };

  /**
   * Fetches, opens and checks one submission and hands it to the gateway; then accepts it (with
   * the authentication tags of what was checked) or rejects it (with the problems). The
   * submission id is the idempotency key: handing the same submission over again is the same job,
   * so a process that died between the hand-over and the answer leaves a submission the next
   * round hands over again (the same job) and answers once.
   */
  const openAndAnswer = async (ref: SubmissionRef, submit: Intake): Promise<Settled> => {
    const k = await loadKeys();
    const submission = await zd.submission(ref.submissionId);
    let opened: Awaited<ReturnType<typeof openSubmission>>;
    try {
      opened = await openSubmission(submission, (id) => zd.attachment(submission.submissionId, id), k.decrypt, {
        ...config,
        kid: k.decryptKid,
      });
    } catch (error) {
      // Our key, not the sender's part, is wrong: the submission waits for the right key file.
      if (error instanceof KeyMismatchError) throw new ConnectorError(error.message, true, { cause: error });
      throw error;
    }
    if (!opened.ok) return rejected(submission, opened.problems, problemName(opened.problems[0]));
    const data = opened.opened.data;
    if (data === undefined)
      return rejected(submission, [problem('schema', 'The submission carries no Fachdaten.', 'data')], 'no-data');
    let receipt: InboundReceipt;
    try {
      receipt = await submit({
        body: Buffer.from(data.bytes),
        contentType: data.mimeType,
        idempotencyKey: `fit-connect:${submission.submissionId}`,
        attachments: opened.opened.attachments,
        tenant: config.tenant,
        source: {
          channel: 'fit-connect',
          ids: {
            destinationId: config.destinationId,
            submissionId: submission.submissionId,
            caseId: submission.caseId,
          },
        },
      });
    } catch (error) {
      if (!(error instanceof InboundRefusal)) throw error;
      const code = /^(XGW_[A-Z_]+):/.exec(error.message)?.[1] ?? 'refused';
      return rejected(submission, [problem('schema', error.message, error.where ?? 'data')], code);
    }
    if (config.acceptOn === 'analysis' && receipt.stage !== 'analysed') {
      if (receipt.stage === 'failed')
        throw new HeldSubmission('analysis-failed', `its job ${receipt.jobId} failed; it waits for an operator`);
      return { outcome: 'waiting', jobId: receipt.jobId };
    }
    await answer(submission, { authenticationTags: opened.opened.tags }, 'accept');
    return { outcome: 'accepted', jobId: receipt.jobId };
  };

  const connector: FitConnectConnector = {
    manifest,
    name: context.name,
    async healthCheck() {
      try {
        await loadKeys();
        await zd.list(config.destinationId, 0, 1);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : 'unreachable' };
      }
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
    async waiting() {
      const out: SubmissionRef[] = [];
      for (let offset = 0; offset < 100_000; ) {
        const page = await zd.list(config.destinationId, offset, 100);
        out.push(...page.submissions);
        offset += page.submissions.length;
        if (page.submissions.length === 0 || offset >= page.total) break;
      }
      return out;
    },
    /**
     * Fetches, opens and checks one submission and hands it to the gateway; then accepts it (with
     * the authentication tags of what was checked) or rejects it (with the problems). The
     * submission id is the idempotency key: handing the same submission over again is the same job.
     */
    async pickUp(ref, submit, report) {
      const tell = async (r: Omit<InboundReport, 'ref' | 'ids' | 'tenant'>): Promise<void> => {
        if (report === undefined) return;
        const ids = { destinationId: config.destinationId, submissionId: ref.submissionId, caseId: ref.caseId };
        // What became of it is recorded beside the answer; a record that cannot be written now
        // must not undo the answer the sender already has.
        await report({ ref: ref.submissionId, ids, tenant: config.tenant, ...r }).catch((error: unknown) =>
          context.logger.warn(
            { submissionId: ref.submissionId, err: error instanceof Error ? error.message : 'error' },
            'fit-connect outcome not recorded',
          ),
        );
      };
      try {
        const outcome = await openAndAnswer(ref, submit);
        await tell(outcome);
        return outcome.outcome;
      } catch (error) {
        await tell({
          outcome: 'held',
          reason: heldReason(error),
          detail: error instanceof Error ? error.message : 'error',
        });
        throw error;
      }
    },
    async notify(notice) {
      const secret = context.secrets.callbackSecret;
      if (secret === undefined) return { status: 401, detail: 'no callback secret is configured for this destination' };
      const verdict = verifyCallback(notice, secret, Date.now());
      if (verdict !== undefined) return { status: 401, detail: verdict };
      // Answered at once; the submissions are fetched by the next round, started now (the
      // Zustelldienst keeps them until they are accepted or rejected, so nothing is lost meanwhile).
      if (intake !== undefined) void runRound(intake.submit, intake.report);
      return { status: 200 };
    },
    async receive(submit, report) {
      const reporter: Reporter = report ?? (async () => undefined);
      intake = { submit, report: reporter };
      // The poll loop: every interval (with up to 20 % jitter) the waiting submissions, one by one.
      const round = async (): Promise<void> => {
        if (closed) return;
        await runRound(submit, reporter);
        if (!closed)
          timer = setTimeout(() => void round(), config.pollIntervalSeconds * 1000 * (1 + Math.random() * 0.2));
      };
      timer = setTimeout(() => void round(), 0);
    },
  };

  /** One round over the waiting submissions, under the lease; a round asked for while one runs follows it. */
  const runRound = async (submit: Intake, report: Reporter): Promise<void> => {
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if (
          context.lease !== undefined &&
          !(await context.lease('poll', config.pollIntervalSeconds * 2000).catch(() => false))
        )
          return;
        try {
          for (const ref of await connector.waiting()) {
            if (closed) break;
            try {
              await connector.pickUp(ref, submit, report);
            } catch (error) {
              context.logger.warn(
                { submissionId: ref.submissionId, err: error instanceof Error ? error.message : 'error' },
                'fit-connect submission not picked up; next round',
              );
            }
          }
        } catch (error) {
          context.logger.warn({ err: error instanceof Error ? error.message : 'error' }, 'fit-connect poll failed');
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  return connector;
}

/** Callbacks older than this are refused (a replayed callback). */
const CALLBACK_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Checks a callback of the Zustelldienst: `callback-authentication` is the HMAC-SHA512 (hex) of
 * `callback-timestamp + "." + body` with the callback secret, compared in constant time; the
 * timestamp (Unix seconds) not older than five minutes, nor in the future. Undefined when it holds.
 */
export function verifyCallback(notice: InboundNotice, secret: string, now: number): string | undefined {
  const mac = notice.headers['callback-authentication'] ?? '';
  const timestamp = notice.headers['callback-timestamp'] ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{128}$/i.test(mac))
    return 'callback-authentication or callback-timestamp missing or malformed';
  const age = now - Number(timestamp) * 1000;
  if (age > CALLBACK_MAX_AGE_MS || age < -60_000) return 'the callback is older than five minutes (or from the future)';
  const expected = createHmac('sha512', secret).update(`${timestamp}.`).update(notice.body).digest();
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'the callback signature does not check out';
}

export const fitConnect = defineConnector<FitConnectConfig>({
  manifest,
  create: (config, context) => createFitConnect(config, context),
});
