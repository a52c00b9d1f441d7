import { createHash, randomUUID } from 'node:crypto';
import { CompactSign, compactDecrypt, type CryptoKey, type KeyObject } from 'jose';

/**
 * The cryptography of a FIT-Connect subscriber (issue #18): submissions arrive as compact JWE
 * (RSA-OAEP-256 key wrap, A256GCM content encryption) for the destination's public key; what the
 * subscriber answers is a Security Event Token signed PS512 with its signature key. Nothing else
 * is accepted: a JWE with another algorithm is an encryption problem, not something to try.
 */

export type PrivateKey = CryptoKey | KeyObject;

/** The only algorithms FIT-Connect uses; anything else in a JWE header is refused. */
const KEY_MANAGEMENT = ['RSA-OAEP-256'];
const CONTENT_ENCRYPTION = ['A256GCM'];

/** A compact JWE's five parts: header, encrypted key, IV, ciphertext, authentication tag. */
const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

export class DecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecryptionError';
  }
}

/**
 * The part was encrypted for a key the gateway does not hold (its `kid` differs): a wrong key file or
 * a rotation under way. Not the sender's fault: the submission must wait, not be rejected.
 */
export class KeyMismatchError extends Error {
  constructor(readonly kid: string) {
    super(`a part is encrypted for key ${kid}, which the destination's key file does not hold`);
    this.name = 'KeyMismatchError';
  }
}

/** The `kid` of a compact JWE's protected header, if it names one. */
function headerKid(compact: string): string | undefined {
  try {
    const header: unknown = JSON.parse(Buffer.from(compact.split('.')[0] ?? '', 'base64url').toString('utf8'));
    const kid = typeof header === 'object' && header !== null ? Reflect.get(header, 'kid') : undefined;
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decrypts one compact JWE with the destination's private key; throws DecryptionError with a reason,
 * or KeyMismatchError when the part names another key than `kid` (when both name one).
 */
export async function decryptJwe(
  compact: string,
  key: PrivateKey,
  maxBytes: number,
  kid?: string,
): Promise<Uint8Array> {
  const text = compact.trim();
  if (text.length > Math.ceil((maxBytes * 4) / 3) + 8192)
    throw new DecryptionError(`the encrypted part is larger than ${maxBytes} bytes`);
  if (!COMPACT_JWE.test(text)) throw new DecryptionError('not a compact JWE (five base64url parts)');
  const named = headerKid(text);
  if (kid !== undefined && kid !== '' && named !== undefined && named !== kid) throw new KeyMismatchError(named);
  try {
    const { plaintext } = await compactDecrypt(text, key, {
      keyManagementAlgorithms: KEY_MANAGEMENT,
      contentEncryptionAlgorithms: CONTENT_ENCRYPTION,
    });
    return plaintext;
  } catch (cause) {
    throw new DecryptionError(
      `the part cannot be decrypted with the destination's key (${cause instanceof Error ? cause.name : 'error'})`,
      { cause },
    );
  }
}

/** The authentication tag of a compact JWE (its fifth part): an accept event names it per part. */
export function authenticationTag(compact: string): string {
  return compact.trim().split('.')[4] ?? '';
}

/** SHA-512 of the decrypted bytes, lower-case hex, as the metadata states it. */
export function sha512Hex(bytes: Uint8Array): string {
  return createHash('sha512').update(bytes).digest('hex');
}

/** The events a subscriber sends about a submission. */
export const EVENTS = {
  accept: 'https://schema.fitko.de/fit-connect/events/accept-submission',
  reject: 'https://schema.fitko.de/fit-connect/events/reject-submission',
} as const;

/** One reason to reject, as RFC 9457 would say it (type and instance as the documentation gives them). */
export interface RejectionProblem {
  type: string;
  title: string;
  detail: string;
  instance: string;
}

/** The authentication tags of the parts accepted: metadata, data, each attachment by id. */
export interface AuthenticationTags {
  metadata: string;
  data?: string;
  attachments: Record<string, string>;
}

/**
 * A Security Event Token about a submission: `iss` the destination, `sub` the submission, `txn`
 * the case, one event with its payload; header `typ: secevent+jwt`, `alg: PS512`, the key's `kid`.
 */
export async function signSubmissionEvent(options: {
  destinationId: string;
  submissionId: string;
  caseId: string;
  event: 'accept' | 'reject';
  payload: { authenticationTags: AuthenticationTags } | { problems: RejectionProblem[] };
  key: PrivateKey;
  kid: string;
  /** The `$schema` of the SET payload the Zustelldienst expects. */
  schema: string;
  now?: Date;
}): Promise<string> {
  const claims = {
    $schema: options.schema,
    jti: randomUUID(),
    iss: options.destinationId,
    iat: Math.floor((options.now ?? new Date()).getTime() / 1000),
    sub: `submission:${options.submissionId}`,
    txn: `case:${options.caseId}`,
    events: { [EVENTS[options.event]]: options.payload },
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'PS512', typ: 'secevent+jwt', kid: options.kid })
    .sign(options.key);
}
