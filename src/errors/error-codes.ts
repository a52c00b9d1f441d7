/**
 * The table of error codes. The code decides the HTTP status, whether a queue retries the work,
 * and the problem+json `type`. Every row is documented in docs/errors.md.
 */
export interface ErrorCodeSpec {
  /** HTTP status the API answers with. */
  readonly status: number;
  /** Short, stable human title (RFC 9457 `title`). */
  readonly title: string;
  /** Whether a queue worker should retry work that failed with this code. */
  readonly retry: boolean;
}

export const ERROR_CODES = {
  XGW_REQ_VALIDATION: { status: 400, title: 'Request does not match the API contract', retry: false },
  XGW_REQ_NOT_FOUND: { status: 404, title: 'Resource not found', retry: false },
  XGW_REQ_METHOD: { status: 405, title: 'Method not allowed', retry: false },
  XGW_REQ_UNSUPPORTED_MEDIA: { status: 415, title: 'Unsupported media type', retry: false },
  XGW_REQ_NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable', retry: false },
  XGW_REQ_TOO_LARGE: { status: 413, title: 'Request body too large', retry: false },
  XGW_REQ_CONFLICT: { status: 409, title: 'Conflict', retry: false },
  XGW_AUTH_UNAUTHENTICATED: { status: 401, title: 'Authentication required', retry: false },
  XGW_AUTH_FORBIDDEN: { status: 403, title: 'Forbidden', retry: false },
  XGW_RATE_LIMITED: { status: 429, title: 'Too many requests', retry: true },
  XGW_AUTH_IDP_UNAVAILABLE: { status: 503, title: 'Identity provider unavailable', retry: true },
  XGW_OUTBOUND_BLOCKED: { status: 502, title: 'Outbound request refused by the SSRF guard', retry: false },
  XGW_XML_MALFORMED: { status: 400, title: 'XML is not well-formed', retry: false },
  XGW_XML_UNSAFE: { status: 400, title: 'XML uses a forbidden construct', retry: false },
  XGW_XML_LIMIT: { status: 413, title: 'XML exceeds a configured limit', retry: false },
  XGW_XOEV_UNKNOWN_STANDARD: { status: 422, title: 'Unknown XÖV standard or message type', retry: false },
  XGW_XOEV_INVALID: { status: 422, title: 'Message is not valid against its XSD', retry: false },
  XGW_XOEV_HEADER: { status: 422, title: 'Message header (nachrichtenkopf) is incomplete', retry: false },
  XGW_ATTACHMENT_LIMIT: { status: 413, title: 'Attachment exceeds a configured limit', retry: false },
  XGW_DOCUMENT_TOO_COMPLEX: { status: 422, title: 'Document exceeds a reading limit', retry: false },
  XGW_DOCUMENT_UNREADABLE: { status: 422, title: 'No text could be read from the document', retry: false },
  XGW_PART_TOO_LONG: { status: 413, title: 'Text longer than the part limit', retry: false },
  XGW_REQ_TOO_COMPLEX: { status: 400, title: 'Request nested or sized beyond a limit', retry: false },
  XGW_BUSY: { status: 503, title: 'Too much work waiting', retry: true },
  XGW_LLM_UNAVAILABLE: { status: 503, title: 'Language model provider unavailable', retry: true },
  XGW_LLM_RATE_LIMITED: { status: 503, title: 'Language model provider rate-limited', retry: true },
  XGW_LLM_CIRCUIT_OPEN: {
    status: 503,
    title: 'Every language model provider is paused after repeated failures',
    retry: true,
  },
  XGW_LLM_TIMEOUT: { status: 504, title: 'Language model provider timed out', retry: true },
  XGW_LLM_BAD_OUTPUT: { status: 502, title: 'Language model answered outside its schema', retry: true },
  XGW_REVIEW_REJECTED: { status: 422, title: 'Rejected by a reviewer', retry: false },
  XGW_REVIEW_CORRECTION_INVALID: { status: 422, title: 'A correction does not fit its task', retry: false },
  XGW_REPLY_INVALID: {
    status: 500,
    title: 'The reply message built does not validate against its standard',
    retry: false,
  },
  XGW_REPLY_NOT_READY: { status: 409, title: 'The reply is not final yet', retry: false },
  XGW_CONNECTOR_UNAVAILABLE: { status: 503, title: 'A register or webhook could not take a delivery now', retry: true },
  XGW_CONNECTOR_REFUSED: { status: 502, title: 'A register or webhook refused a delivery', retry: false },
  XGW_DELIVERY_PENDING: { status: 503, title: 'A delivery is not yet made', retry: true },
  XGW_REDIS_UNAVAILABLE: { status: 503, title: 'Queue store unavailable', retry: true },
  XGW_CONFIG_INVALID: { status: 500, title: 'Configuration is invalid', retry: false },
  XGW_INTERNAL: { status: 500, title: 'Internal error', retry: false },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every problem `type` URI; documented anchors in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'https://xoev-ai-gateway.dev/problems/';

export function problemType(code: ErrorCode): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replaceAll('_', '-');
}
