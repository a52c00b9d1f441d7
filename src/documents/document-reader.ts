import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/app-error.js';
import type { DocumentLimits } from './document-limits.js';
import type { DocumentText, ReadableFormat } from './document-text.js';
import { toReadReply, type ReadReply, type ReadRequest } from './read-request.js';
import { capText } from './readers/reader-errors.js';
import { sniff } from './sniff.js';

/** Options of {@link DocumentReader}. */
export interface DocumentReaderOptions {
  /** Child processes reading at once. @defaultValue 1 (`DOCUMENT_WORKERS`) */
  workers?: number;
  /** Documents that may wait for a child; beyond, `read` throws XGW_BUSY. @defaultValue 64 */
  maxWaiting?: number;
  /** How often the parent reads a busy child's memory, in ms. @defaultValue 50 */
  memoryPollMs?: number;
}

interface Pending {
  request: ReadRequest;
  resolve: (reply: ReadReply) => void;
}

/** Whether this module runs from its TypeScript source (jest, tsx) rather than built. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
/** The child's entry: `.ts` from source, `.js` when built. */
const CHILD_URL = new URL(`./read-document.child${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
/** From source the child loads our .ts files through a loader that leaves libraries untouched (see scripts/ts-loader). */
const SOURCE_LOADER = new URL('../../scripts/ts-loader/register.mjs', import.meta.url);

/** Scheduling priority of the reading children (nice value; higher yields to the rest). */
const READER_NICENESS = 10;

/** Resident set of a process in bytes, from /proc (Linux); undefined where there is no /proc. */
async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    const pages = Number(statm.split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}

/** One reading child: busy with at most one document; killed and replaced when it exceeds a limit. */
class ReadingChild {
  private child: ChildProcess | undefined;
  private current:
    | { pending: Pending; child: ChildProcess; timer: NodeJS.Timeout; poll: NodeJS.Timeout; settled: boolean }
    | undefined;

  constructor(
    private readonly memoryPollMs: number,
    private readonly onIdle: () => void,
  ) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  run(pending: Pending): void {
    const { request } = pending;
    const child = this.ensure(request.limits.maxMemoryMb);
    const fail = (detail: string): void => this.finish({ id: request.id, status: 'too_complex', detail }, true);
    const timer = setTimeout(
      () => fail(`reading took longer than ${request.limits.timeoutMs} ms (DOCUMENT_TIMEOUT_MS)`),
      request.limits.timeoutMs,
    );
    const poll = setInterval(() => {
      const pid = child.pid;
      if (pid === undefined) return;
      void residentBytes(pid).then((rss) => {
        if (rss !== undefined && rss > request.limits.maxMemoryMb * 1024 * 1024)
          fail(`reading needed more than ${request.limits.maxMemoryMb} MiB (DOCUMENT_MAX_MEMORY_MB)`);
      });
    }, this.memoryPollMs);
    this.current = { pending, child, timer, poll, settled: false };
    child.send(request, (error) => {
      if (error) fail('the document reader could not be reached');
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private ensure(maxMemoryMb: number): ChildProcess {
    if (this.child?.connected) return this.child;
    const child = fork(fileURLToPath(CHILD_URL), [], {
      // The heap limit makes V8 give up well before the parent's memory watchdog has to step in.
      execArgv: [
        ...(FROM_SOURCE ? ['--import', SOURCE_LOADER.href] : []),
        `--max-old-space-size=${Math.max(64, Math.floor(maxMemoryMb * 0.75))}`,
      ],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    child.on('message', (message: unknown) => {
      const reply = toReadReply(message);
      if (reply !== undefined && this.current?.child === child && reply.id === this.current.pending.request.id)
        this.finish(reply, false);
    });
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      // Out of memory (V8's heap limit), a crash in a library: the document is what broke it.
      // (A child killed for a limit has answered already; its exit concerns no later document.)
      if (this.current !== undefined && this.current.child === child)
        this.finish(
          {
            id: this.current.pending.request.id,
            status: 'too_complex',
            detail: 'the document reader stopped while reading it (memory or a crash)',
          },
          false,
        );
    });
    child.on('error', () => undefined);
    // Reading documents is background work: the API and the workers' answers come first when the
    // cores are busy (a fuzz run with two readers at work saw an API answer take 1,047 ms).
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, READER_NICENESS);
      } catch {
        // Not permitted on this system: the reader runs at normal priority.
      }
    }
    // The reader never keeps the gateway alive: it exits when the parent's channel closes.
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private finish(reply: ReadReply, kill: boolean): void {
    const current = this.current;
    if (current === undefined || current.settled) return;
    current.settled = true;
    clearTimeout(current.timer);
    clearInterval(current.poll);
    this.current = undefined;
    if (kill) this.close();
    current.pending.resolve(reply);
    this.onIdle();
  }
}

/**
 * Reads the text of documents (PDF, DOCX, HTML; plain text in place) in child processes, within
 * {@link DocumentLimits}: never on the caller's event loop, and never able to take the caller's
 * process down. Documents wait in a bounded queue for a free child.
 */
export class DocumentReader {
  private readonly children: ReadingChild[];
  private readonly waiting: Pending[] = [];
  private readonly maxWaiting: number;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly limits: Readonly<DocumentLimits>,
    options: DocumentReaderOptions = {},
  ) {
    this.maxWaiting = options.maxWaiting ?? 64;
    this.children = Array.from(
      { length: Math.max(1, options.workers ?? 1) },
      () => new ReadingChild(options.memoryPollMs ?? 50, () => this.dispatch()),
    );
  }

  /**
   * The text of a document with its status. Never throws for what the document holds (broken,
   * encrypted, too complex: a status says so); throws XGW_BUSY when too many documents wait.
   */
  async read(
    bytes: Uint8Array,
    declared: string | undefined,
    limits: Partial<DocumentLimits> = {},
  ): Promise<DocumentText> {
    const lim: DocumentLimits = { ...this.limits, ...limits };
    const type = sniff(bytes, declared);
    if (type.ole === true)
      return {
        mimeType: type.mimeType,
        status: 'encrypted',
        detail: 'an OLE compound file (a password-protected Office document, or a legacy .doc)',
      };
    if (type.plain === true) {
      const decoded = new TextDecoder('utf-8').decode(bytes).trim();
      if (decoded === '') return { mimeType: type.mimeType, status: 'empty' };
      const { text, truncated } = capText(decoded, lim.maxChars);
      return {
        mimeType: type.mimeType,
        status: truncated ? 'truncated' : 'ok',
        text,
        ...(truncated ? { detail: `text cut at ${lim.maxChars} characters` } : {}),
      };
    }
    if (type.format === undefined) return { mimeType: type.mimeType, status: 'unsupported' };
    const reply = await this.inChild(type.format, bytes, lim);
    const out: DocumentText = { mimeType: type.mimeType, status: reply.status };
    if (reply.text !== undefined) out.text = reply.text;
    if (reply.detail !== undefined) out.detail = reply.detail;
    if (reply.pages !== undefined) out.pages = reply.pages;
    return out;
  }

  /** Kills the children; documents still waiting are answered `unreadable` (shutting down). */
  close(): void {
    this.closed = true;
    for (const c of this.children) c.close();
    for (const p of this.waiting.splice(0))
      p.resolve({ id: p.request.id, status: 'unreadable', detail: 'the gateway is shutting down' });
  }

  private inChild(format: ReadableFormat, bytes: Uint8Array, limits: DocumentLimits): Promise<ReadReply> {
    if (this.closed) throw new AppError('XGW_INTERNAL', { detail: 'the document reader is closed' });
    if (this.waiting.length >= this.maxWaiting) {
      throw new AppError('XGW_BUSY', {
        detail: `${this.waiting.length} documents wait to be read; retry later.`,
        retryAfterSeconds: 5,
      });
    }
    return new Promise<ReadReply>((resolve) => {
      this.waiting.push({ request: { id: this.nextId++, format, bytes, limits }, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const child of this.children) {
      if (child.busy) continue;
      const next = this.waiting.shift();
      if (next === undefined) return;
      child.run(next);
    }
  }
}
