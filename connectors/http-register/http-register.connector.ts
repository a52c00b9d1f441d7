import { defineConnector, type Connector, type ConnectorManifest, type Delivery } from '../connector.js';
import { fillTemplate, readObject, receiptOf, sendJson } from '../transport/http-json.js';

/** Config of a REST register. */
export interface HttpRegisterConfig {
  /** Base URL of the register API, e.g. `https://register.example/api`. */
  baseUrl: string;
  /** How a fact is written. PUT to a URL naming the key is naturally idempotent. @defaultValue PUT */
  method: 'PUT' | 'POST';
  /** Path of a fact, with `{key}`, `{fact}`, `{subject}` placeholders. @defaultValue /facts/{key} */
  deliverPath: string;
  /** Path answering 200 with the fact (`{ "fields": {…} }`) or 404. @defaultValue /facts?subject={subject}&fact={fact} */
  lookupPath: string;
  /** Path answering 2xx when the register is up. @defaultValue /health */
  healthPath: string;
  /** @defaultValue 10000 */
  timeoutMs: number;
}

const manifest: ConnectorManifest<HttpRegisterConfig> = {
  id: 'http-register',
  version: '1.0.0',
  description:
    'Writes each fact as JSON to a REST register (PUT or POST with an Idempotency-Key header) and looks facts up with GET.',
  capabilities: ['outbound', 'lookup'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['baseUrl'],
    properties: {
      baseUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
      method: { type: 'string', enum: ['PUT', 'POST'], default: 'PUT' },
      deliverPath: { type: 'string', pattern: '^/', default: '/facts/{key}' },
      lookupPath: { type: 'string', pattern: '^/', default: '/facts?subject={subject}&fact={fact}' },
      healthPath: { type: 'string', pattern: '^/', default: '/health' },
      timeoutMs: { type: 'integer', minimum: 100, default: 10000 },
    },
  },
  secrets: [{ name: 'token', required: false, doc: 'Bearer token sent as `Authorization: Bearer <token>`.' }],
};

/**
 * A register behind a REST API. The delivery key goes in the `Idempotency-Key` header (and, by
 * default, in the URL of a PUT), so the register can store a repeated delivery once.
 */
export const httpRegister = defineConnector<HttpRegisterConfig>({
  manifest,
  create(config, context): Connector {
    const base = config.baseUrl.replace(/\/$/, '');
    const auth: Record<string, string> =
      context.secrets.token === undefined ? {} : { authorization: `Bearer ${context.secrets.token}` };
    return {
      manifest,
      name: context.name,
      async healthCheck() {
        try {
          await sendJson(context.fetch, {
            method: 'GET',
            url: base + config.healthPath,
            headers: auth,
            timeoutMs: config.timeoutMs,
          });
          return { ok: true };
        } catch (error) {
          return { ok: false, detail: error instanceof Error ? error.message : 'unreachable' };
        }
      },
      async deliver(delivery: Delivery) {
        const url =
          base +
          fillTemplate(config.deliverPath, { key: delivery.key, fact: delivery.fact, subject: delivery.subject });
        const body = JSON.stringify({
          key: delivery.key,
          fact: delivery.fact,
          subject: delivery.subject,
          fields: delivery.fields,
          provenance: delivery.provenance,
        });
        const res = await sendJson(context.fetch, {
          method: config.method,
          url,
          body,
          headers: { ...auth, 'idempotency-key': delivery.key },
          timeoutMs: config.timeoutMs,
        });
        return receiptOf(res);
      },
      async lookup(subject: string, fact: string) {
        const url = base + fillTemplate(config.lookupPath, { subject, fact });
        const res = await sendJson(
          context.fetch,
          { method: 'GET', url, headers: auth, timeoutMs: config.timeoutMs },
          { accept404: true },
        );
        if (res.status === 404) {
          await res.body?.cancel().catch(() => undefined);
          return { found: false };
        }
        const answer = await readObject(res);
        const fields = answer?.fields;
        return typeof fields === 'object' && fields !== null && !Array.isArray(fields)
          ? { found: true, fields: Object.fromEntries(Object.entries(fields)) }
          : { found: true };
      },
      async close() {
        // Nothing pooled: fetch's keep-alive sockets close themselves when idle.
      },
    };
  },
});
