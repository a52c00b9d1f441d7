import type { RedisClient } from '../../jobs/redis-connection.js';
import { createHash, randomBytes } from 'node:crypto';
import { RedisKeys } from '../../jobs/redis-keys.js';
import { isRole, type Principal } from '../../security/principal.js';

/** A person signed in to the review workspace (or the anonymous admin of an open gateway). */
export interface WorkspaceSession {
  principal: Principal;
  /** The synchronizer token every form of this session carries (CSRF). */
  csrf: string;
  /** Epoch ms of sign-in: the absolute timeout counts from here. */
  createdAt: number;
  /** Epoch ms of the last new id: the id rotates while the session lives. */
  rotatedAt: number;
  /** The IdP's ID token, for RP-initiated logout (`id_token_hint`). */
  idToken?: string;
}

export interface SessionTimeouts {
  idleSeconds: number;
  maxSeconds: number;
}

/** A new id at most this often: a stolen cookie stops working soon after its owner's next click. */
const ROTATE_AFTER_MS = 10 * 60 * 1000;
/** The old id keeps working this long after a rotation, for the requests already on their way. */
const ROTATION_GRACE_S = 30;

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex');
export const newSecret = (): string => randomBytes(32).toString('base64url');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored session read back, checked field by field (Redis holds what someone wrote, not a type). */
function toSession(value: unknown): WorkspaceSession | undefined {
  if (!isRecord(value) || !isRecord(value.principal)) return undefined;
  const p = value.principal;
  const roles = Array.isArray(p.roles) ? p.roles.filter(isRole) : [];
  if (
    (p.kind !== 'oidc' && p.kind !== 'anonymous') ||
    typeof p.id !== 'string' ||
    typeof p.name !== 'string' ||
    typeof p.tenant !== 'string' ||
    typeof value.csrf !== 'string' ||
    typeof value.createdAt !== 'number' ||
    typeof value.rotatedAt !== 'number'
  )
    return undefined;
  const principal: Principal = { kind: p.kind, id: p.id, name: p.name, roles, tenant: p.tenant };
  return {
    principal,
    csrf: value.csrf,
    createdAt: value.createdAt,
    rotatedAt: value.rotatedAt,
    ...(typeof value.idToken === 'string' ? { idToken: value.idToken } : {}),
  };
}

/**
 * Sessions of the review workspace in Redis, keyed by the hash of a random id that only the
 * person's cookie holds: ended by inactivity (the key's TTL, renewed on every request), by their
 * age (the absolute timeout, checked on read) and by logout; the id rotates while they work.
 */
export class SessionStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly timeouts: SessionTimeouts,
  ) {
    this.keys = new RedisKeys(prefix);
  }

  /** A new session (after sign-in): a new id, never one the browser brought (no fixation). */
  async create(principal: Principal, idToken?: string): Promise<{ id: string; session: WorkspaceSession }> {
    const now = Date.now();
    const session: WorkspaceSession = {
      principal,
      csrf: newSecret(),
      createdAt: now,
      rotatedAt: now,
      ...(idToken === undefined ? {} : { idToken }),
    };
    const id = newSecret();
    await this.redis.set(this.keys.session(hashOf(id)), JSON.stringify(session), 'EX', this.timeouts.idleSeconds);
    return { id, session };
  }

  /**
   * The session of this id, its idle time renewed; undefined when unknown, idle too long or too old.
   * `rotated` is the new id when this read rotated it (the caller sets the cookie).
   */
  async read(id: string | undefined): Promise<{ session: WorkspaceSession; rotated?: string } | undefined> {
    if (id === undefined || id.length < 20 || id.length > 100) return undefined;
    const key = this.keys.session(hashOf(id));
    const raw = await this.redis.get(key);
    if (raw === null) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    const session = toSession(parsed);
    const now = Date.now();
    if (session === undefined || now - session.createdAt > this.timeouts.maxSeconds * 1000) {
      await this.redis.del(key);
      return undefined;
    }
    // What is left of the absolute lifetime bounds the idle TTL too.
    const ttl = Math.max(
      1,
      Math.min(
        this.timeouts.idleSeconds,
        Math.ceil((session.createdAt + this.timeouts.maxSeconds * 1000 - now) / 1000),
      ),
    );
    if (now - session.rotatedAt < ROTATE_AFTER_MS) {
      await this.redis.expire(key, ttl);
      return { session };
    }
    const rotated = newSecret();
    const renewed: WorkspaceSession = { ...session, rotatedAt: now };
    // The old id keeps working for the grace period, marked as rotated now, so it cannot rotate again
    // (a stolen old cookie does not breed new ids).
    await this.redis
      .multi()
      .set(this.keys.session(hashOf(rotated)), JSON.stringify(renewed), 'EX', ttl)
      .set(key, JSON.stringify(renewed), 'EX', ROTATION_GRACE_S)
      .exec();
    return { session: renewed, rotated };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id !== undefined && id.length >= 20 && id.length <= 100) await this.redis.del(this.keys.session(hashOf(id)));
  }

  /** Keeps what a sign-in needs between the redirect to the IdP and its answer (ten minutes, used once). */
  async saveSignIn(state: string, value: { verifier: string; nonce: string; next: string }): Promise<void> {
    await this.redis.set(this.keys.signIn(state), JSON.stringify(value), 'EX', 600);
  }

  async takeSignIn(state: string): Promise<{ verifier: string; nonce: string; next: string } | undefined> {
    if (state.length < 20 || state.length > 100) return undefined;
    const raw = await this.redis.getdel(this.keys.signIn(state));
    if (raw === null) return undefined;
    const v: unknown = JSON.parse(raw);
    return isRecord(v) && typeof v.verifier === 'string' && typeof v.nonce === 'string' && typeof v.next === 'string'
      ? { verifier: v.verifier, nonce: v.nonce, next: v.next }
      : undefined;
  }
}
