import { createHash } from 'node:crypto';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { fromRoot } from '../../config/paths.js';
import { AppError } from '../../errors/app-error.js';
import type { Finding } from '../../jobs/finding.js';
import { plannedTaskOf, type JobRecord } from '../../jobs/job-record.js';
import type { JobStore } from '../../jobs/job-store.js';
import type { AuditTrail } from '../../observability/audit-trail.js';
import type { Correction, ReviewDecision, ReviewQueue } from '../../pipeline/review-queue.js';
import type { AuthMode } from '../../security/auth-mode.js';
import { actorOf, ANONYMOUS_ADMIN, hasRole, type Principal } from '../../security/principal.js';
import type { RateLimiter } from '../../security/rate-limiter.js';
import { canAccessTenant } from '../../security/tenant-access.js';
import type { ProposalEdit, UseCases } from '../../usecases/use-cases.js';
import { layout, reasonKey } from './html.js';
import { casePage, messagePage, queuePage, shortcutsPage, type CaseView } from './pages.js';
import type { SessionStore, WorkspaceSession } from './session-store.js';
import { safeNext, type SignIn } from './sign-in.js';

export const WORKSPACE_PATH = '/review';
const COOKIE = 'xgw_review';
/** The hash of a sign-in's `state`, in the browser that started it. */
const SIGN_IN_COOKIE = 'xgw_signin';
const hashOf = (value: string): string => createHash('sha256').update(value).digest('base64url');

export interface WorkspaceDeps {
  mode: AuthMode;
  sessions: SessionStore;
  /** Undefined when OIDC_ISSUER, OIDC_CLIENT_ID or OIDC_CLIENT_SECRET is unset. */
  signIn: SignIn | undefined;
  reviews: ReviewQueue;
  store: JobStore;
  audit: AuditTrail;
  useCases: UseCases;
  limiter: RateLimiter;
  /** `Secure` on the cookie: everywhere but plain http on loopback. */
  secureCookie: boolean;
  /** `<PUBLIC_URL>`: the callback and the return after logout are built from it (known once listening). */
  publicUrl: () => string;
  sessionMaxSeconds: number;
}

function cookieOf(req: Request, cookie = COOKIE): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=');
  }
  return undefined;
}

/** Everything but the pages' own assets: scripts and styles only from here, forms only to here and the IdP. */
function csp(formTargets: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action 'self'${formTargets}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? Reflect.get(body, name) : undefined;
}

const asText = (v: unknown): string => (typeof v === 'string' ? v.replaceAll('\r\n', '\n') : '');
const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];

/** What the form says a reviewer changed: corrections of findings and edits of the proposal, compared with what was proposed. */
export function changesOf(record: JobRecord, body: unknown): { corrections: Correction[]; edits: ProposalEdit[] } {
  const corrections: Correction[] = [];
  const findings: readonly Finding[] = record.result?.findings ?? [];
  for (const [i, f] of findings.entries()) {
    const task = plannedTaskOf(record, f)?.task;
    if (task === undefined) continue;
    // A label set the form showed says so (an unticked checkbox sends nothing): only those are compared.
    if (f.task === 'classify' && field(body, `c.${i}.shown`) === '1') {
      const before = new Set(f.classification?.labels.map((l) => l.code));
      const after = asList(field(body, `c.${i}.labels`));
      const chosen = new Set(after);
      if (chosen.size !== before.size || after.length !== chosen.size || after.some((c) => !before.has(c)))
        corrections.push({ partId: f.partId, task: 'classify', labels: after });
    } else if (f.task === 'extract' && task.kind === 'extract') {
      const props = task.schema.properties;
      const data: Record<string, unknown> = { ...(f.extraction?.data ?? {}) };
      let changed = false;
      for (const name of typeof props === 'object' && props !== null ? Object.keys(props) : []) {
        const sent = field(body, `c.${i}.data.${name}`);
        if (typeof sent !== 'string') continue;
        const current = data[name];
        const was = Array.isArray(current)
          ? current.map(String).join('\n')
          : current === undefined
            ? ''
            : String(current);
        const now = asText(sent).trim();
        if (now === was.trim()) continue;
        changed = true;
        const schema: unknown = typeof props === 'object' && props !== null ? Reflect.get(props, name) : undefined;
        const type = typeof schema === 'object' && schema !== null ? Reflect.get(schema, 'type') : undefined;
        if (now === '') delete data[name];
        else if (type === 'array')
          data[name] = now
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== '');
        else if ((type === 'number' || type === 'integer') && Number.isFinite(Number(now))) data[name] = Number(now);
        else data[name] = now;
      }
      // Evidence the reviewer selected in the text (`start-end`), for single values.
      const evidence: Record<string, { start: number; end: number }> = {};
      for (const name of typeof props === 'object' && props !== null ? Object.keys(props) : []) {
        const m = /^(\d{1,9})-(\d{1,9})$/.exec(asText(field(body, `c.${i}.ev.${name}`)));
        if (m !== null) evidence[name] = { start: Number(m[1]), end: Number(m[2]) };
      }
      if (Object.keys(evidence).length > 0) changed = true;
      if (changed)
        corrections.push({
          partId: f.partId,
          task: 'extract',
          data,
          ...(Object.keys(evidence).length > 0 ? { evidence } : {}),
        });
    }
  }
  const edits: ProposalEdit[] = [];
  for (const item of record.result?.proposal?.items ?? []) {
    const edit: ProposalEdit = { item: item.id };
    const drop = field(body, `p.${item.id}.drop`) === '1';
    if (drop && item.dropped !== true) edit.drop = true;
    const code = field(body, `p.${item.id}.code`);
    if (typeof code === 'string' && code !== item.code?.code) edit.code = code;
    const text = field(body, `p.${item.id}.text`);
    if (typeof text === 'string' && asText(text).trim() !== item.text.trim()) edit.text = asText(text);
    if (Object.keys(edit).length > 1) edits.push(edit);
  }
  return { corrections, edits };
}

/**
 * The review workspace (issue #17): server-rendered pages under /review, German, working without
 * script (the script adds shortcuts and search), signed in through the Kommune's IdP (or, on an
 * open loopback gateway, as its anonymous admin). Every form carries the session's CSRF token; a
 * reviewer sees their tenant only, a case of another tenant is "not found" as in the API.
 */
export function workspaceRouter(deps: WorkspaceDeps): { router: Router; adminGuard: RequestHandler } {
  const router = Router();
  const policy = csp(deps.signIn === undefined ? '' : ` ${deps.signIn.origin()}`);
  const setCookie = (res: Response, id: string): void => {
    res.append(
      'Set-Cookie',
      `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${deps.sessionMaxSeconds}${deps.secureCookie ? '; Secure' : ''}`,
    );
  };
  const clearCookie = (res: Response): void => {
    res.append(
      'Set-Cookie',
      `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${deps.secureCookie ? '; Secure' : ''}`,
    );
  };
  const send = (res: Response, status: number, title: string, body: string, session?: WorkspaceSession): void => {
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .setHeader('Cache-Control', 'no-store')
      .send(
        layout({
          title,
          body,
          signedIn: session !== undefined && session.principal.kind === 'oidc',
          ...(session === undefined ? {} : { who: session.principal, csrf: session.csrf }),
        }),
      );
  };

  /** The session of the request; on an open gateway one for its anonymous admin (so forms still carry a CSRF token). */
  const sessionOf = async (req: Request, res: Response): Promise<WorkspaceSession | undefined> => {
    const found = await deps.sessions.read(cookieOf(req));
    if (found !== undefined) {
      if (found.rotated !== undefined) setCookie(res, found.rotated);
      return found.session;
    }
    if (deps.mode !== 'open') return undefined;
    const created = await deps.sessions.create(ANONYMOUS_ADMIN);
    setCookie(res, created.id);
    return created.session;
  };

  /** The signed-in person with one of the roles, else a redirect to sign-in or a 403 page. */
  const person = async (
    req: Request,
    res: Response,
    roles: readonly ('reviewer' | 'admin')[],
  ): Promise<WorkspaceSession | undefined> => {
    const session = await sessionOf(req, res);
    if (session === undefined) {
      res.redirect(303, `${WORKSPACE_PATH}/login?next=${encodeURIComponent(req.originalUrl)}`);
      return undefined;
    }
    await deps.limiter.hit(`person:${session.principal.id}`);
    if (!roles.some((r) => hasRole(session.principal, r))) {
      send(
        res,
        403,
        'Keine Berechtigung',
        messagePage('Keine Berechtigung', `Diese Seite braucht die Rolle ${roles.join(' oder ')}.`),
        session,
      );
      return undefined;
    }
    return session;
  };

  const checkCsrf = (req: Request, session: WorkspaceSession): void => {
    if (field(req.body, '_csrf') !== session.csrf)
      throw new AppError('XGW_AUTH_FORBIDDEN', {
        detail: 'The form is outdated or not from this workspace (CSRF token).',
      });
  };

  router.use(WORKSPACE_PATH, (_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    next();
  });
  router.use(`${WORKSPACE_PATH}/assets`, express.static(fromRoot('web/review'), { fallthrough: false, maxAge: '1h' }));
  router.use(WORKSPACE_PATH, express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }));

  router.get(`${WORKSPACE_PATH}/login`, async (req, res) => {
    const next = safeNext(req.query.next);
    if (deps.signIn === undefined) {
      if (deps.mode === 'open') return res.redirect(303, next);
      return send(
        res,
        503,
        'Anmeldung nicht eingerichtet',
        messagePage(
          'Anmeldung nicht eingerichtet',
          'Für die Anmeldung fehlen OIDC_ISSUER, OIDC_CLIENT_ID und OIDC_CLIENT_SECRET in der Konfiguration des Gateways.',
        ),
      );
    }
    const target = await deps.signIn.begin(next);
    // The sign-in belongs to this browser: its callback must bring this cookie (no login CSRF).
    const state = target.searchParams.get('state') ?? '';
    res.append(
      'Set-Cookie',
      `${SIGN_IN_COOKIE}=${hashOf(state)}; Path=${WORKSPACE_PATH}/callback; HttpOnly; SameSite=Lax; Max-Age=600${deps.secureCookie ? '; Secure' : ''}`,
    );
    res.redirect(303, target.href);
  });

  router.get(`${WORKSPACE_PATH}/callback`, async (req, res) => {
    if (deps.signIn === undefined) return res.redirect(303, WORKSPACE_PATH);
    const url = new URL(req.originalUrl, deps.publicUrl());
    const bound = cookieOf(req, SIGN_IN_COOKIE);
    if (bound === undefined || bound !== hashOf(url.searchParams.get('state') ?? ''))
      throw new AppError('XGW_AUTH_UNAUTHENTICATED', {
        detail: 'This sign-in was not started in this browser. Start it again.',
      });
    res.append('Set-Cookie', `${SIGN_IN_COOKIE}=; Path=${WORKSPACE_PATH}/callback; HttpOnly; SameSite=Lax; Max-Age=0`);
    const done = await deps.signIn.complete(url);
    await deps.sessions.destroy(cookieOf(req));
    const created = await deps.sessions.create(done.principal, done.idToken);
    setCookie(res, created.id);
    res.redirect(303, done.next);
  });

  router.post(`${WORKSPACE_PATH}/logout`, async (req, res) => {
    const found = await deps.sessions.read(cookieOf(req));
    if (found !== undefined) checkCsrf(req, found.session);
    await deps.sessions.destroy(cookieOf(req));
    if (found?.rotated !== undefined) await deps.sessions.destroy(found.rotated);
    clearCookie(res);
    const idp = await deps.signIn?.logoutUrl(found?.session.idToken, `${deps.publicUrl()}${WORKSPACE_PATH}/signed-out`);
    res.redirect(303, idp?.href ?? `${WORKSPACE_PATH}/signed-out`);
  });

  router.get(`${WORKSPACE_PATH}/signed-out`, (_req, res) => {
    send(
      res,
      200,
      'Abgemeldet',
      messagePage('Abgemeldet', 'Sie sind abgemeldet.', { href: `${WORKSPACE_PATH}/login`, label: 'Wieder anmelden' }),
    );
  });

  router.get(`${WORKSPACE_PATH}/shortcuts`, async (req, res) => {
    const session = await person(req, res, ['reviewer', 'admin']);
    if (session !== undefined) send(res, 200, 'Tastenkürzel', shortcutsPage(), session);
  });

  router.get(WORKSPACE_PATH, async (req, res) => {
    const session = await person(req, res, ['reviewer', 'admin']);
    if (session === undefined) return;
    const admin = hasRole(session.principal, 'admin');
    const q = (name: string): string | undefined => {
      const v = req.query[name];
      return typeof v === 'string' && v !== '' && v.length <= 200 ? v : undefined;
    };
    const reason = q('reason');
    const standard = q('standard');
    const tenant = admin ? q('tenant') : session.principal.tenant;
    const cursor = q('cursor');
    const order = q('order') === 'newest' ? 'newest' : undefined;
    const page = await deps.reviews.list({
      ...(order === undefined ? {} : { order }),
      ...(tenant === undefined ? {} : { tenant }),
      ...(standard === undefined ? {} : { standard }),
      ...(cursor === undefined ? {} : { cursor }),
      limit: 50,
    });
    // The reason is a filter on the page: the index is by tenant and time, reasons live in the record.
    const rows = page.items.filter(
      ({ record }) => reason === undefined || (record.result?.reviewReasons ?? []).some((r) => reasonKey(r) === reason),
    );
    const pending = admin && tenant === undefined ? await deps.reviews.pending() : await deps.reviews.pending(tenant);
    send(
      res,
      200,
      'Offene Prüfungen',
      queuePage({
        rows,
        ...(page.next === undefined ? {} : { next: page.next }),
        filters: {
          ...(reason === undefined ? {} : { reason }),
          ...(standard === undefined ? {} : { standard }),
          ...(admin && tenant !== undefined ? { tenant } : {}),
          ...(order === undefined ? {} : { order }),
        },
        admin,
        pending,
      }),
      session,
    );
  });

  /** The job if this person may see it: unknown and another tenant's look the same (no oracle). */
  const caseOf = async (id: string, principal: Principal): Promise<JobRecord | undefined> => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
    const record = await deps.store.get(id);
    return record !== undefined && canAccessTenant(principal, record.tenant) ? record : undefined;
  };

  const renderCase = async (
    res: Response,
    session: WorkspaceSession,
    record: JobRecord,
    status = 200,
    notice?: CaseView['notice'],
    body?: unknown,
    preview?: CaseView['replyPreview'],
  ): Promise<void> => {
    const audit = await deps.audit.read(record.id).catch(() => undefined);
    let replyPreview: CaseView['replyPreview'] = preview;
    if (preview === undefined && record.state === 'review' && record.result?.proposal !== undefined) {
      try {
        replyPreview = deps.useCases.reply(record.id, record.result);
      } catch {
        replyPreview = undefined;
      }
    } else if (preview === undefined) replyPreview = record.result?.reply;
    send(
      res,
      status,
      `Fall ${record.id}`,
      casePage({
        record,
        audit: audit?.entries ?? [],
        ...(replyPreview === undefined ? {} : { replyPreview }),
        codeLabels: (uri) => deps.useCases.codeLabels(uri),
        csrf: session.csrf,
        ...(notice === undefined ? {} : { notice }),
        ...(body === undefined
          ? {}
          : {
              sent: (name: string) => {
                const v = field(body, name);
                return v === undefined ? undefined : asList(v);
              },
            }),
      }),
      session,
    );
  };

  /** The case again with what was refused (422): the reason, where, and the person's input kept. */
  const refuse = (
    res: Response,
    session: WorkspaceSession,
    record: JobRecord,
    text: string,
    body: unknown,
    errors: readonly { message: string; path?: string }[] = [],
  ): Promise<void> => renderCase(res, session, record, 422, { kind: 'error', text, errors }, body);

  router.get(`${WORKSPACE_PATH}/jobs/:id`, async (req, res) => {
    const session = await person(req, res, ['reviewer', 'admin']);
    if (session === undefined) return;
    const record = await caseOf(String(req.params.id), session.principal);
    if (record === undefined)
      return send(
        res,
        404,
        'Nicht gefunden',
        messagePage('Nicht gefunden', 'Diesen Fall gibt es nicht, oder er ist nicht Ihrer.', {
          href: WORKSPACE_PATH,
          label: 'Zur Liste',
        }),
        session,
      );
    const notice: CaseView['notice'] | undefined =
      req.query.notice === 'conflict'
        ? {
            kind: 'error',
            text: 'Jemand anderes hat diesen Fall inzwischen entschieden; Ihre Entscheidung wurde nicht gespeichert.',
          }
        : req.query.notice === 'decided'
          ? { kind: 'info', text: 'Ihre Entscheidung ist gespeichert.' }
          : undefined;
    await renderCase(res, session, record, 200, notice);
  });

  router.post(`${WORKSPACE_PATH}/jobs/:id/decision`, async (req, res) => {
    const session = await person(req, res, ['reviewer', 'admin']);
    if (session === undefined) return;
    checkCsrf(req, session);
    const id = String(req.params.id);
    const record = await caseOf(id, session.principal);
    if (record === undefined)
      return send(
        res,
        404,
        'Nicht gefunden',
        messagePage('Nicht gefunden', 'Diesen Fall gibt es nicht, oder er ist nicht Ihrer.'),
        session,
      );
    if (record.state !== 'review') return res.redirect(303, `${WORKSPACE_PATH}/jobs/${id}?notice=conflict`);
    if (field(req.body, 'decision') === 'preview') {
      // The reply as it would be sent with these changes: nothing is decided, the page keeps the input.
      const { edits } = changesOf(record, req.body);
      const proposal = record.result?.proposal;
      try {
        const edited = proposal === undefined ? undefined : deps.useCases.edit(proposal, edits);
        const result =
          record.result === undefined
            ? undefined
            : { ...record.result, ...(edited === undefined ? {} : { proposal: edited }) };
        return renderCase(
          res,
          session,
          record,
          200,
          { kind: 'info', text: 'Vorschau mit Ihren Änderungen; noch nichts entschieden.' },
          req.body,
          result === undefined ? undefined : deps.useCases.reply(record.id, result),
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error;
        return refuse(
          res,
          session,
          record,
          `Die Änderung passt nicht: ${error.detail ?? error.message}`,
          req.body,
          error.errors,
        );
      }
    }
    let decision: ReviewDecision;
    if (field(req.body, 'decision') === 'reject') {
      const reason = asText(field(req.body, 'reason')).trim();
      if (reason === '' || reason.length > 2000)
        return refuse(res, session, record, 'Eine Ablehnung braucht eine Begründung (bis 2000 Zeichen).', req.body);
      decision = { decision: 'reject', reason };
    } else {
      const { corrections, edits } = changesOf(record, req.body);
      decision =
        corrections.length === 0 && edits.length === 0
          ? { decision: 'accept' }
          : { decision: 'correct', corrections, proposal: edits };
    }
    try {
      await deps.reviews.decide(record, decision, actorOf(session.principal));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'XGW_REQ_CONFLICT') return res.redirect(303, `${WORKSPACE_PATH}/jobs/${id}?notice=conflict`);
      if (error.status === 422 || error.status === 400)
        return refuse(
          res,
          session,
          record,
          `Die Änderung passt nicht zum Auftrag: ${error.detail ?? error.message}`,
          req.body,
          error.errors,
        );
      throw error;
    }
    // On to the next case of the queue, or back to the list when none waits.
    const next = await deps.reviews.list({ tenant: session.principal.tenant, limit: 1 }).catch(() => undefined);
    const upcoming = next?.items.find(({ record: r }) => r.id !== id)?.record.id;
    res.redirect(
      303,
      upcoming === undefined ? `${WORKSPACE_PATH}/jobs/${id}?notice=decided` : `${WORKSPACE_PATH}/jobs/${upcoming}`,
    );
  });

  // Errors of the workspace are pages, not problem documents: a person reads them.
  router.use(WORKSPACE_PATH, (error: unknown, _req: Request, res: Response, next: (e?: unknown) => void) => {
    if (!(error instanceof AppError)) return next(error);
    const title = error.status === 403 ? 'Nicht erlaubt' : error.status === 401 ? 'Anmeldung fehlgeschlagen' : 'Fehler';
    send(
      res,
      error.status,
      title,
      messagePage(title, error.detail ?? error.message, { href: WORKSPACE_PATH, label: 'Zur Liste' }),
    );
  });

  /** `/admin/queues` behind the same sign-in: an admin's session (or API credentials the authorizer checked). */
  const adminGuard: RequestHandler = async (req, res, next) => {
    try {
      const session = await person(req, res, ['admin']);
      if (session !== undefined) next();
    } catch (error) {
      next(error);
    }
  };
  return { router, adminGuard };
}
