import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Router } from 'express';
import { z } from 'zod';
import { isAppError } from '../../errors/app-error.js';
import type { JobStore } from '../../jobs/job-store.js';
import { jobBody } from '../../jobs/job-view.js';
import type { AuditTrail } from '../../observability/audit-trail.js';
import type { Intake } from '../../pipeline/intake.js';
import type { ReviewQueue } from '../../pipeline/review-queue.js';
import type { OutboundPolicy } from '../../security/outbound-policy.js';
import type { ProtectedOperation } from '../../security/operation-table.js';
import { principalOf, type Principal } from '../../security/principal.js';
import { submitMessage } from '../routes/messages.router.js';
import { listReviews, readAuditTrail, readJob, submitTask } from '../routes/operations.js';
import type { StandardSummary } from '../routes/standards.router.js';
import { toProblem } from '../../errors/problem.js';
import { toAppError } from '../problem-handler.js';

/** What the MCP server offers: the same parts the REST routes use. */
export interface McpDeps {
  intake: Intake;
  store: JobStore;
  reviews: ReviewQueue;
  audit: AuditTrail;
  standards: () => StandardSummary[];
  /** The catalog check of POST /v1/messages without a job (XSD, nachrichtenkopf, profile). */
  validate: (xml: Buffer) => { standard: string; version: string; messageType?: string; messageId?: string };
  outbound: OutboundPolicy;
  /** The operations of the OpenAPI file: a tool is offered to whom its REST operation admits. */
  operations: readonly ProtectedOperation[];
  version: string;
  maxBodyBytes: number;
  /** PUBLIC_URL, if set: the resource's address in its metadata. */
  publicUrl?: string;
  /** OIDC_ISSUER, if set: the authorization server that issues bearer tokens for the resource. */
  oidcIssuer?: string;
}

export const MCP_PATH = '/mcp';
/** Where the MCP endpoint's protected resource metadata is (RFC 9728: the well-known path plus the resource's). */
export const MCP_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource/mcp';

/** The base URL clients reach the gateway at: PUBLIC_URL, else the Host the request came to. */
function baseUrl(publicUrl: string | undefined, host: string | undefined): string {
  return publicUrl ?? `http://${host ?? 'localhost'}`;
}

/** The 401 challenge of the MCP endpoint: the schemes, and where its protected resource metadata is. */
export function mcpChallenge(publicUrl: string | undefined, host: string | undefined): string {
  return `ApiKey, Bearer resource_metadata="${baseUrl(publicUrl, host)}${MCP_RESOURCE_METADATA_PATH}"`;
}

/** A tool's result: its data as structured content and as text (for clients that read only text). */
function ok<T extends Record<string, unknown>>(data: T) {
  return { structuredContent: data, content: [{ type: 'text' as const, text: JSON.stringify(data) }] };
}

/** A refusal as the model should see it: an error result with the problem (RFC 9457), not a crash. */
function refused(error: unknown) {
  const problem = toProblem(toAppError(error), MCP_PATH);
  return { isError: true, content: [{ type: 'text' as const, text: JSON.stringify(problem) }] };
}

async function attempt<T extends Record<string, unknown>>(work: () => Promise<T>) {
  try {
    return ok(await work());
  } catch (error) {
    return refused(error);
  }
}

const jobId = z.string().min(1).max(200).describe('The job id (from submit_message or submit_task). / Die Job-ID.');
const accepted = {
  id: z.string(),
  state: z.string(),
  location: z.string(),
  duplicate: z.boolean(),
  standard: z.string().optional(),
  version: z.string().optional(),
  messageType: z.string().optional(),
  messageId: z.string().optional(),
  reference: z.string().optional(),
};

/**
 * One MCP server for one request (stateless Streamable HTTP): the caller's tools only — a tool is
 * listed for a principal whose roles its REST operation admits (x-roles), and each call runs as
 * that principal, in its tenant, through the REST API's own operation functions.
 */
function serverFor(deps: McpDeps, principal: Principal): McpServer {
  const server = new McpServer({ name: 'xoev-ai-gateway', version: deps.version });
  const admits = (operationId: string): boolean => {
    const op = deps.operations.find((o) => o.operationId === operationId);
    return (
      op !== undefined &&
      op.roles !== undefined &&
      op.roles !== 'public' &&
      op.roles.some((r) => principal.roles.includes(r))
    );
  };
  const xml = z
    .string()
    .min(1)
    .max(deps.maxBodyBytes)
    .describe('The XÖV message as XML text. / Die XÖV-Nachricht als XML-Text.');

  if (admits('listStandards')) {
    server.registerTool(
      'list_standards',
      {
        title: 'XÖV standards',
        description:
          'Lists the XÖV standards, versions and message types this gateway accepts (XBau, xdomea, …). Use it to find out whether a message can be checked. / Listet die XÖV-Standards, Versionen und Nachrichtentypen, die das Gateway annimmt.',
        outputSchema: {
          standards: z.array(
            z.object({
              standard: z.string(),
              version: z.string(),
              namespaces: z.array(z.string()),
              messageTypes: z.array(z.string()),
            }),
          ),
        },
      },
      async () => attempt(async () => ({ standards: deps.standards() })),
    );
    server.registerTool(
      'validate_message',
      {
        title: 'Check an XÖV message',
        description:
          'Checks an XÖV message against its standard (XSD, nachrichtenkopf, profile) without creating a job: says which standard, version and message type it is, or exactly what is wrong and where. / Prüft eine XÖV-Nachricht gegen ihren Standard (XSD, Nachrichtenkopf), ohne einen Vorgang anzulegen.',
        inputSchema: { xml },
        outputSchema: {
          valid: z.boolean(),
          standard: z.string().optional(),
          version: z.string().optional(),
          messageType: z.string().optional(),
          messageId: z.string().optional(),
          problem: z.record(z.string(), z.unknown()).optional(),
        },
      },
      async ({ xml: text }) => {
        try {
          const checked = deps.validate(Buffer.from(text, 'utf8'));
          return ok({
            valid: true,
            standard: checked.standard,
            version: checked.version,
            ...(checked.messageType === undefined ? {} : { messageType: checked.messageType }),
            ...(checked.messageId === undefined ? {} : { messageId: checked.messageId }),
          });
        } catch (error) {
          if (!isAppError(error) || error.status >= 500) return refused(error);
          return ok({ valid: false, problem: { ...toProblem(error, MCP_PATH) } });
        }
      },
    );
  }
  if (admits('submitMessage'))
    server.registerTool(
      'submit_message',
      {
        title: 'Submit an XÖV message',
        description:
          'Submits an XÖV message for analysis, as POST /v1/messages does: returns the job (id, state) at once; the analysis runs in the background — ask get_job for the result. The same message (nachrichtenUUID) twice is one job. / Reicht eine XÖV-Nachricht zur Analyse ein; das Ergebnis liefert get_job.',
        inputSchema: {
          xml,
          idempotencyKey: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe('Makes a retry the same job. / Macht eine Wiederholung zum selben Vorgang.'),
        },
        outputSchema: accepted,
      },
      async ({ xml: text, idempotencyKey }) =>
        attempt(
          async () => (await submitMessage(deps.intake, Buffer.from(text, 'utf8'), principal, idempotencyKey)).body,
        ),
    );
  if (admits('submitTask'))
    server.registerTool(
      'submit_task',
      {
        title: 'Analyse a text or a request',
        description:
          'Analyses free text as POST /v1/jobs does: a task (`classify` with labels, `extract` with a JSON schema, `summarise`) or a request profile (`profile: "posteingang"`: Anliegen, deadlines, routing, draft reply). Returns the job; get_job gives the findings with evidence. / Analysiert einen Text (klassifizieren, extrahieren, zusammenfassen) oder eine Bürgeranfrage.',
        inputSchema: {
          text: z.string().min(1).describe('The text. / Der Text.'),
          task: z.enum(['classify', 'extract', 'summarise']).optional(),
          profile: z.string().optional().describe('A request profile, e.g. posteingang. / Ein Anfrageprofil.'),
          labels: z
            .array(
              z.object({ code: z.string(), name: z.string().optional(), keywords: z.array(z.string()).optional() }),
            )
            .optional(),
          schema: z.record(z.string(), z.unknown()).optional().describe('For extract: a JSON Schema of the fields.'),
          receivedAt: z.string().optional().describe('YYYY-MM-DD: when the request arrived (deadlines).'),
          idempotencyKey: z.string().min(1).max(200).optional(),
        },
        outputSchema: accepted,
      },
      async ({ idempotencyKey, ...body }) =>
        attempt(async () => (await submitTask(deps.intake, deps.outbound, body, principal, idempotencyKey)).view),
    );
  if (admits('getJob'))
    server.registerTool(
      'get_job',
      {
        title: 'A job and its findings',
        description:
          'The state of a job and, once analysed, its findings with evidence (model, prompt version, source span) and, when decided, its reply. Only jobs of your own tenant. / Stand eines Vorgangs mit Befunden und Belegstellen.',
        inputSchema: { id: jobId },
        outputSchema: { job: z.record(z.string(), z.unknown()) },
      },
      async ({ id }) => attempt(async () => ({ job: jobBody(await readJob(deps.store, id, principal)) })),
    );
  if (admits('listReviews'))
    server.registerTool(
      'list_reviews',
      {
        title: 'Cases waiting for a person',
        description:
          'Jobs of your tenant waiting for a person to decide (AI proposes, a person decides), oldest first, with the reasons. / Vorgänge, die auf eine Entscheidung warten.',
        inputSchema: {
          standard: z.string().optional(),
          limit: z.number().int().min(1).max(200).optional(),
          cursor: z.string().optional(),
          order: z.enum(['oldest', 'newest']).optional(),
        },
        outputSchema: { reviews: z.array(z.record(z.string(), z.unknown())), next: z.string().optional() },
      },
      async ({ standard, limit, cursor, order }) =>
        attempt(async () =>
          listReviews(deps.reviews, principal, {
            limit: limit ?? 20,
            ...(standard === undefined ? {} : { standard }),
            ...(cursor === undefined ? {} : { cursor }),
            ...(order === 'newest' ? { order: 'newest' as const } : {}),
          }),
        ),
    );
  if (admits('getJobAudit'))
    server.registerTool(
      'get_audit_trail',
      {
        title: 'What happened to a job',
        description:
          'The audit trail of a job: who did what when (received, analysed with which model, reviewed by whom, delivered), and whether its hash chain is intact. / Das Prüfprotokoll eines Vorgangs.',
        inputSchema: { id: jobId },
        outputSchema: {
          jobId: z.string(),
          verified: z.boolean(),
          brokenAt: z.record(z.string(), z.unknown()).optional(),
          entries: z.array(z.record(z.string(), z.unknown())),
        },
      },
      async ({ id }) => attempt(async () => readAuditTrail(deps.audit, deps.store, id, principal)),
    );
  if (admits('listStandards'))
    server.registerResource(
      'standards',
      'xoev://standards',
      {
        title: 'XÖV standards of this gateway',
        description: 'Standards, versions and message types the gateway accepts. / Angenommene XÖV-Standards.',
        mimeType: 'application/json',
      },
      async (uri) => ({
        contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(deps.standards()) }],
      }),
    );
  return server;
}

/**
 * The Origin half of the MCP transport's DNS rebinding protection (the SDK's own check, 403): an
 * `Origin`, which only browsers send, must be the gateway's own — PUBLIC_URL's, or the address the
 * request came to (http or https, a TLS proxy in front). The Host half is the whole API's in open
 * mode (security/host-check.ts); with credentials required a rebound page has none to send.
 */
function originProtection(
  host: string | undefined,
  publicUrl: string | undefined,
): { enableDnsRebindingProtection: true; allowedOrigins: string[] } {
  return {
    enableDnsRebindingProtection: true,
    allowedOrigins: [
      ...(publicUrl === undefined ? [] : [new URL(publicUrl).origin]),
      ...(host === undefined ? [] : [`http://${host}`, `https://${host}`]),
    ],
  };
}

/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP, stateless (a server per request),
 * for the administration's AI assistants. Authentication, roles, tenants and rate limits are the
 * REST API's (the authorizer ran before this route; `/mcp` is an operation of the OpenAPI file).
 */
export function mcpRouter(deps: McpDeps): Router {
  const router = Router();
  // RFC 9728 protected resource metadata, as the MCP authorization spec asks: what the resource is
  // and who issues tokens for it (API keys need none of this; they are created with the CLI).
  router.get([MCP_RESOURCE_METADATA_PATH, '/.well-known/oauth-protected-resource'], (req, res) => {
    const base = baseUrl(deps.publicUrl, req.get('host'));
    res.json({
      resource: `${base}${MCP_PATH}`,
      ...(deps.oidcIssuer === undefined ? {} : { authorization_servers: [deps.oidcIssuer] }),
      bearer_methods_supported: ['header'],
      resource_name: 'xoev-ai-gateway',
      resource_documentation: `${base}/docs`,
    });
  });
  router.post(MCP_PATH, async (req, res) => {
    const server = serverFor(deps, principalOf(res));
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      ...originProtection(req.get('host'), deps.publicUrl),
    });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  return router;
}
