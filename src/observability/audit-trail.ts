import type { Actor, EmitContext, JobEvent, JobEventSink } from '../jobs/job-events.js';
import { ATTEMPT_TOKEN_FIELD } from '../jobs/job-record.js';
import type { Logger } from './logger.js';
import { entryHash, verifyChain, type AuditEntry, type ChainedEntry, type ChainVerdict } from './audit-chain.js';
import { RedisKeys } from '../jobs/redis-keys.js';
import { scanKeys, type RedisClient, runScript } from '../jobs/redis-connection.js';

// Appends only if the newest entry still has the hash the caller chained onto (compare-and-set),
// so an API process and a worker appending to the same job at once cannot fork the chain. On a
// mismatch it returns the actual head ({0, entry, hash}; {0} for an empty trail), so the caller
// can retry at once without another read: an append is one round trip when the guess was right.
// Guard (KEYS[2] = the job record, read in the same script so nothing can move in between):
// ARGV[5] = '1' refuses the entry once the job has ended (record done or failed); ARGV[6] refuses
// it unless the record's attempt token is that one. A refused entry answers {-1}.
// Once only (ARGV[7] = type, ARGV[8] = at; '' = off): an announced event may come twice (outbox
// relay); if the trail has an entry of that type and time already it answers {-2} and adds nothing.
const APPEND = `
if ARGV[5] == '1' or ARGV[6] ~= '' then
  local rec = redis.call('HMGET', KEYS[2], 'state', '${ATTEMPT_TOKEN_FIELD}')
  if ARGV[5] == '1' and (rec[1] == 'done' or rec[1] == 'failed') then return {-1} end
  if ARGV[6] ~= '' and rec[2] ~= ARGV[6] then return {-1} end
end
if ARGV[7] ~= '' then
  for _, item in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
    local f = item[2]
    for i = 1, #f, 2 do
      if f[i] == 'entry' and string.find(f[i + 1], ARGV[8], 1, true) then
        local ok, e = pcall(cjson.decode, f[i + 1])
        if ok and type(e) == 'table' and e.type == ARGV[7] and e.at == ARGV[8] then return {-2} end
      end
    end
  end
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local head = ''
local headEntry = ''
if #last > 0 then
  local f = last[1][2]
  for i = 1, #f, 2 do
    if f[i] == 'hash' then head = f[i + 1] end
    if f[i] == 'entry' then headEntry = f[i + 1] end
  end
end
if head ~= ARGV[1] then
  if #last == 0 then return {0} end
  return {0, headEntry, head}
end
local id = redis.call('XADD', KEYS[1], '*', 'entry', ARGV[2], 'hash', ARGV[3])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return id`;

/**
 * Entries that say a job is still moving. Appended after the job ended they would put a state
 * change after its end (a worker that lost the race, or whose write went out before another
 * process ended the job but whose entry came later), so they are refused once the record is done
 * or failed. `done` and a final `failed` are not in it: they are appended after the write that
 * ended the job, which happens once (conditional update).
 */
const ONLY_WHILE_OPEN: ReadonlySet<string> = new Set(['analysing', 'analysed', 'delivering']);

function onlyWhileOpen(event: JobEvent): boolean {
  return ONLY_WHILE_OPEN.has(event.type) || (event.type === 'failed' && !event.final);
}

/** Where the job records live, for the append guard (JobStore fits). */
export interface JobRecordKeys {
  key(jobId: string): string;
}

function isRefusal(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === -1;
}

function isAlreadyThere(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === -2;
}

/** The newest entry of a trail as an append chains onto it. */
interface Head {
  /** Its hash; '' for an empty trail. */
  readonly hash: string;
  /** The seq of the next entry: head seq + 1, 0 for an empty trail, -1 when the head is unreadable. */
  readonly nextSeq: number;
}

const EMPTY: Head = { hash: '', nextSeq: 0 };
/** Heads remembered per process; enough for the jobs in flight, bounded so it cannot grow. */
const HEAD_CACHE_SIZE = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isActor(value: unknown): value is Actor {
  return (
    isRecord(value) &&
    (value['kind'] === 'client' || value['kind'] === 'person' || value['kind'] === 'system') &&
    typeof value['id'] === 'string'
  );
}

/** Parses a stored entry; undefined when it is not an entry any more (tampered beyond parsing). */
function parseEntry(json: string): AuditEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const { seq, jobId, tenant, type, actor, at, details, prev } = value;
  if (
    typeof seq !== 'number' ||
    typeof jobId !== 'string' ||
    typeof tenant !== 'string' ||
    typeof type !== 'string' ||
    !isActor(actor) ||
    typeof at !== 'string' ||
    !isRecord(details) ||
    typeof prev !== 'string'
  )
    return undefined;
  return { seq, jobId, tenant, type, actor, at, details, prev };
}

function fieldsOf(fields: string[]): { entry?: string; hash?: string } {
  const out: { entry?: string; hash?: string } = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'entry') out.entry = fields[i + 1];
    if (fields[i] === 'hash') out.hash = fields[i + 1];
  }
  return out;
}

function toHead(entryJson: string | undefined, hash: string | undefined): Head {
  const entry = entryJson === undefined ? undefined : parseEntry(entryJson);
  return { hash: hash ?? '', nextSeq: entry === undefined ? -1 : entry.seq + 1 };
}

/** The head the APPEND script reports on a compare-and-set mismatch. */
function headFromReply(reply: unknown): Head {
  if (!Array.isArray(reply) || reply.length < 3) return EMPTY;
  const entry: unknown = reply[1];
  const hash: unknown = reply[2];
  return toHead(
    typeof entry === 'string' && entry !== '' ? entry : undefined,
    typeof hash === 'string' ? hash : undefined,
  );
}

/** A job's trail as read, with the verdict of its hash chain. */
export interface AuditReport extends ChainVerdict {
  readonly jobId: string;
  readonly entries: readonly ChainedEntry[];
}

/**
 * The audit trail: every job event appended to a Redis Stream per job (`<prefix>:audit:<jobId>`),
 * each entry carrying the hash of the previous one, expiring AUDIT_RETENTION_SECONDS after the
 * job's last event. It subscribes to the JobEvents bus; the pipeline does not know it exists.
 *
 * With `records` (the gateway's job store) appends are guarded against the job record in the same
 * script: entries that say a job is still moving are refused once it has ended, and an entry
 * emitted by an analysis attempt (EmitContext.attemptToken) only while that attempt holds the job.
 * So no state-changing entry can follow a job's end, whichever process is late.
 */
export class AuditTrail {
  private readonly keys: RedisKeys;
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly retentionSeconds: number,
    private readonly options: { records?: JobRecordKeys; logger?: Logger } = {},
  ) {
    this.keys = new RedisKeys(prefix);
  }

  key(jobId: string): string {
    return this.keys.audit(jobId);
  }

  /** The sink to subscribe to the event bus: `events.subscribe(trail.sink)`. */
  readonly sink: JobEventSink = async (event, context) => {
    await this.append(event, context);
  };

  /**
   * Appends one event to its job's trail. The head it chains onto is guessed (the head this process
   * wrote last, or an empty trail for a job just created) and checked by the script; a wrong guess
   * costs one more round trip, never a forked chain. Returns undefined when the guard refused the
   * entry (the job has ended, or another attempt holds it) or, for an announced event (one that may
   * come twice), when the trail already has it.
   */
  async append(event: JobEvent, context: EmitContext = {}): Promise<ChainedEntry | undefined> {
    const { type, jobId, tenant, actor, at, ...details } = event;
    const key = this.key(jobId);
    const records = this.options.records;
    const refuseIfEnded = records !== undefined && onlyWhileOpen(event) ? '1' : '';
    const owner = records !== undefined ? (context.attemptToken ?? '') : '';
    const onceOnly = context.announced === true;
    const keys = records === undefined ? [key] : [key, records.key(jobId)];
    // A 'received' that created its job starts a trail that is almost always empty; anything else
    // chains onto what this process wrote last, or reads the head first.
    let head =
      this.heads.get(key) ?? (type === 'received' && event.duplicate === false ? EMPTY : await this.readHead(key));
    for (let attempt = 0; attempt < 20; attempt++) {
      const entry: AuditEntry = {
        seq: head.nextSeq,
        jobId,
        tenant,
        type,
        actor: { kind: actor.kind, id: actor.id },
        at,
        details,
        prev: head.hash,
      };
      const hash = entryHash(entry);
      const reply: unknown = await runScript(
        this.redis,
        APPEND,
        keys.length,
        ...keys,
        head.hash,
        JSON.stringify(entry),
        hash,
        String(this.retentionSeconds),
        refuseIfEnded,
        owner,
        onceOnly ? type : '',
        onceOnly ? at : '',
      );
      if (typeof reply === 'string') {
        this.remember(key, { hash, nextSeq: entry.seq + 1 });
        return { id: reply, entry, hash };
      }
      if (isRefusal(reply)) {
        this.options.logger?.warn(
          { jobId, event: type },
          'audit entry not appended: the job has ended or another attempt holds it',
        );
        return undefined;
      }
      if (isAlreadyThere(reply)) {
        this.options.logger?.info(
          { jobId, event: type, replay: context.replay === true },
          'audit entry not appended again: the trail has it',
        );
        return undefined;
      }
      head = headFromReply(reply);
    }
    this.heads.delete(key);
    throw new Error(`audit trail of ${jobId}: could not append after 20 concurrent attempts`);
  }

  private readonly heads = new Map<string, Head>();

  private remember(key: string, head: Head): void {
    // Re-inserting moves the key to the end, so the oldest entry is the first one dropped.
    this.heads.delete(key);
    this.heads.set(key, head);
    if (this.heads.size > HEAD_CACHE_SIZE) {
      const oldest = this.heads.keys().next();
      if (oldest.done !== true) this.heads.delete(oldest.value);
    }
  }

  private async readHead(key: string): Promise<Head> {
    const last = await this.redis.xrevrange(key, '+', '-', 'COUNT', 1);
    if (last[0] === undefined) return EMPTY;
    const f = fieldsOf(last[0][1]);
    return toHead(f.entry, f.hash);
  }

  /** All entries of a job, oldest first, with the chain verdict. Empty when none (or expired). */
  async read(jobId: string): Promise<AuditReport> {
    const raw = await this.redis.xrange(this.key(jobId), '-', '+');
    const entries: ChainedEntry[] = [];
    for (const [index, [id, fields]] of raw.entries()) {
      const f = fieldsOf(fields);
      const entry = f.entry === undefined ? undefined : parseEntry(f.entry);
      if (entry === undefined || f.hash === undefined) {
        return {
          jobId,
          entries,
          verified: false,
          brokenAt: { index, id, reason: 'the entry is not a well-formed audit entry (it was altered)' },
        };
      }
      entries.push({ id, entry, hash: f.hash });
    }
    return { jobId, entries, ...verifyChain(entries) };
  }

  /** Ids of all jobs with a trail (SCAN, so safe on a large Redis). */
  async *jobIds(): AsyncGenerator<string> {
    for await (const key of scanKeys(this.redis, this.keys.auditPattern())) {
      const id = this.keys.jobIdOfAudit(key);
      if (id !== undefined) yield id;
    }
  }
}
