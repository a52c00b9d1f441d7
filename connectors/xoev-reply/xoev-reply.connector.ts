import {
  ConnectorError,
  defineConnector,
  type Connector,
  type ConnectorManifest,
  type Delivery,
} from '../connector.js';
import { receiptOf, sendJson } from '../transport/http-json.js';

/** Config of the endpoint a Fachverfahren (or its XTA/OSCI gateway) receives reply messages on. */
export interface XoevReplyConfig {
  /** Where the reply is posted, e.g. `https://fachverfahren.example/xoev/eingang`. */
  url: string;
  /** The delivery field holding the message (a profile maps `reply.xml` to it). @defaultValue xml */
  xmlField: string;
  /** @defaultValue 10000 */
  timeoutMs: number;
}

const manifest: ConnectorManifest<XoevReplyConfig> = {
  id: 'xoev-reply',
  version: '1.0.0',
  description:
    "Posts a reply message in the standard's own type (XBau 0201, xdomea 0502, …) as application/xml, with the delivery key as Idempotency-Key.",
  capabilities: ['outbound'],
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', pattern: '^https?://[^\\s]+$' },
      xmlField: { type: 'string', minLength: 1, default: 'xml' },
      timeoutMs: { type: 'integer', minimum: 100, default: 10000 },
    },
  },
  secrets: [{ name: 'token', required: false, doc: 'Bearer token sent as `Authorization: Bearer <token>`.' }],
};

/**
 * Hands a decided reply to the Fachverfahren that sent the message: the XML as it was validated,
 * `Idempotency-Key` (the delivery key, the same on every retry and after a crash),
 * `X-Xoev-Message-Type` and `X-Xoev-Reference` (the answered message's id). 201 is a new message,
 * 200 one the receiver already had.
 */
export const xoevReply = defineConnector<XoevReplyConfig>({
  manifest,
  create(config, context): Connector {
    const auth: Record<string, string> =
      context.secrets.token === undefined ? {} : { authorization: `Bearer ${context.secrets.token}` };
    return {
      manifest,
      name: context.name,
      async healthCheck() {
        // A receiving endpoint need not answer GET; that it parses as a URL is what can be known.
        return { ok: URL.canParse(config.url) };
      },
      async deliver(delivery: Delivery) {
        const xml = delivery.fields[config.xmlField];
        if (typeof xml !== 'string' || !xml.trimStart().startsWith('<'))
          throw new ConnectorError(`field ${config.xmlField} holds no XML message`, false);
        const messageType = delivery.fields.messageType;
        const res = await sendJson(context.fetch, {
          method: 'POST',
          url: config.url,
          body: xml,
          contentType: 'application/xml; charset=utf-8',
          headers: {
            ...auth,
            'idempotency-key': delivery.key,
            'x-xoev-reference': delivery.subject,
            ...(typeof messageType === 'string' ? { 'x-xoev-message-type': messageType } : {}),
          },
          timeoutMs: config.timeoutMs,
        });
        return receiptOf(res);
      },
      async close() {
        // Nothing pooled.
      },
    };
  },
});
