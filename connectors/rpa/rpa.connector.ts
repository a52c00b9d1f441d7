import { defineConnector, type Connector, type ConnectorManifest, type Delivery } from '../connector.js';
import { readObject, sendJson } from '../transport/http-json.js';

export interface RpaConfig {
  /**
   * `generic`: POST `{ key, fact, subject, arguments, provenance }` to `url` (n8n, Power Automate,
   * any bot runner with an HTTP trigger). `uipath`: start a UiPath Orchestrator job.
   */
  mode: 'generic' | 'uipath';
  /** generic: trigger URL; uipath: Orchestrator base URL (e.g. `https://cloud.uipath.com/org/tenant/orchestrator_`). */
  url: string;
  /** uipath: the process's ReleaseKey. */
  releaseKey?: string;
  /** uipath: folder id, sent as `X-UIPATH-OrganizationUnitId`. */
  folderId?: string;
  /** uipath: start strategy. @defaultValue ModernJobsCount */
  strategy: string;
  /** @defaultValue 15000 */
  timeoutMs: number;
}

const manifest: ConnectorManifest<RpaConfig> = {
  id: 'rpa',
  version: '1.0.0',
  description:
    'Starts a bot with the structured result as input arguments: a generic JSON trigger or a UiPath Orchestrator StartJobs call.',
  capabilities: ['outbound'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['mode', 'url'],
    properties: {
      mode: { type: 'string', enum: ['generic', 'uipath'] },
      url: { type: 'string', pattern: '^https?://[^\\s]+$' },
      releaseKey: { type: 'string', minLength: 1, nullable: true },
      folderId: { type: 'string', pattern: '^\\d+$', nullable: true },
      strategy: { type: 'string', default: 'ModernJobsCount' },
      timeoutMs: { type: 'integer', minimum: 100, default: 15000 },
    },
    if: { properties: { mode: { const: 'uipath' } } },
    then: { required: ['releaseKey'] },
  },
  secrets: [{ name: 'token', required: false, doc: 'Bearer token (UiPath: an external application access token).' }],
};

/** The UiPath Orchestrator OData action that starts jobs of a released process. */
export const UIPATH_START_JOBS = '/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs';

/**
 * RPA hook. The delivery key is sent as `Idempotency-Key` (generic) or as the job's `Reference`
 * (UiPath, which has no idempotency header), so a repeated start can be recognised by the bot.
 */
export const rpa = defineConnector<RpaConfig>({
  manifest,
  create(config, context): Connector {
    const base = config.url.replace(/\/$/, '');
    const auth: Record<string, string> =
      context.secrets.token === undefined ? {} : { authorization: `Bearer ${context.secrets.token}` };
    return {
      manifest,
      name: context.name,
      async healthCheck() {
        return { ok: true, detail: 'bot runners have no standard health endpoint; checked on first start' };
      },
      async deliver(delivery: Delivery) {
        if (config.mode === 'generic') {
          const body = JSON.stringify({
            key: delivery.key,
            fact: delivery.fact,
            subject: delivery.subject,
            arguments: delivery.fields,
            provenance: delivery.provenance,
          });
          await sendJson(context.fetch, {
            method: 'POST',
            url: base,
            body,
            headers: { ...auth, 'idempotency-key': delivery.key },
            timeoutMs: config.timeoutMs,
          });
          return { outcome: 'delivered' };
        }
        const body = JSON.stringify({
          startInfo: {
            ReleaseKey: config.releaseKey,
            Strategy: config.strategy,
            JobsCount: 1,
            // Orchestrator takes the input arguments as a JSON string, not as an object.
            InputArguments: JSON.stringify({
              ...delivery.fields,
              xgwDeliveryKey: delivery.key,
              xgwSubject: delivery.subject,
              xgwFact: delivery.fact,
            }),
            Reference: delivery.key.slice(0, 128),
          },
        });
        const headers = {
          ...auth,
          ...(config.folderId === undefined ? {} : { 'x-uipath-organizationunitid': config.folderId }),
        };
        const res = await sendJson(context.fetch, {
          method: 'POST',
          url: base + UIPATH_START_JOBS,
          body,
          headers,
          timeoutMs: config.timeoutMs,
        });
        const answer = await readObject(res);
        const first = Array.isArray(answer?.value) ? answer.value[0] : undefined;
        const id = typeof first === 'object' && first !== null && 'Id' in first ? String(first.Id) : undefined;
        return { outcome: 'delivered', ...(id === undefined ? {} : { reference: id }) };
      },
      async close() {},
    };
  },
});
