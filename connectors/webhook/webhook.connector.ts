import { defineConnector, type Connector, type ConnectorManifest, type Delivery } from '../connector.js';
import { sendJson } from '../transport/http-json.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './signature.js';

/** Job events a webhook can subscribe to. */
export const WEBHOOK_EVENTS = [
  'received',
  'analysing',
  'analysed',
  'reviewed',
  'delivering',
  'delivered',
  'done',
  'failed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookConfig {
  /** Receiver URL. */
  url: string;
  /** Job events that trigger a call. @defaultValue ["done", "failed", "review"] — `failed` only when final */
  events: string[];
  /** @defaultValue 10000 */
  timeoutMs: number;
}

const manifest: ConnectorManifest<WebhookConfig> = {
  id: 'webhook',
  version: '1.0.0',
  description: 'Calls a URL with a signed JSON body when a job changes state (HMAC-SHA256, timestamped).',
  capabilities: ['outbound'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', pattern: '^https?://[^\\s]+$' },
      events: {
        type: 'array',
        items: { type: 'string', enum: [...WEBHOOK_EVENTS, 'review'] },
        minItems: 1,
        default: ['done', 'failed', 'review'],
      },
      timeoutMs: { type: 'integer', minimum: 100, default: 10000 },
    },
  },
  secrets: [
    {
      name: 'signingSecret',
      required: true,
      doc: 'Shared secret for the `X-XGW-Signature` HMAC; the receiver verifies with it.',
    },
  ],
};

/**
 * Signed callbacks. The body is `delivery.fields` (the event and the job view); it is signed as the
 * exact bytes sent, with a timestamp, so the receiver can check origin, integrity and freshness.
 * The delivery key goes in `Idempotency-Key` (and `X-XGW-Delivery`) so a receiver can drop repeats.
 */
export const webhook = defineConnector<WebhookConfig>({
  manifest,
  create(config, context): Connector {
    const secret = context.secrets.signingSecret ?? '';
    return {
      manifest,
      name: context.name,
      async healthCheck() {
        // A receiver has no standard health URL, and calling it would be a real callback.
        return secret === '' ? { ok: false, detail: 'no signing secret' } : { ok: true };
      },
      async deliver(delivery: Delivery) {
        const body = JSON.stringify(delivery.fields);
        const timestamp = Math.floor(Date.now() / 1000);
        await sendJson(context.fetch, {
          method: 'POST',
          url: config.url,
          body,
          headers: {
            [SIGNATURE_HEADER]: sign(secret, timestamp, body),
            [TIMESTAMP_HEADER]: String(timestamp),
            'idempotency-key': delivery.key,
            'x-xgw-delivery': delivery.key,
            'user-agent': 'xoev-ai-gateway-webhook/1',
          },
          timeoutMs: config.timeoutMs,
        });
        return { outcome: 'delivered' };
      },
      async close() {},
    };
  },
});
