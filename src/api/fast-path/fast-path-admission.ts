import type { IncomingMessage } from 'node:http';

/** The one operation the fast path serves; everything else goes through express. */
export const FAST_PATH_URL = '/v1/messages';

/** Decides per request whether the fast path may answer it. */
export type FastPathAdmission = (req: IncomingMessage) => boolean;

const CONTENT_LENGTH = /^[1-9][0-9]{0,9}$/;
// A media type optionally with a plain charset: anything fancier (quoted or other parameters)
// goes through express, so whatever it is answered with is the validator's own answer.
const CHARSET_SUFFIX = /^\s*;\s*charset=[A-Za-z0-9._-]+\s*$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** Reads what the contract says about submitMessage's request; throws when the file changed shape. */
function readContract(spec: unknown): { mediaTypes: readonly string[]; keyMin: number; keyMax: number } {
  const content = at(spec, 'paths', FAST_PATH_URL, 'post', 'requestBody', 'content');
  const key = at(spec, 'components', 'parameters', 'IdempotencyKey', 'schema');
  const keyMin = at(key, 'minLength');
  const keyMax = at(key, 'maxLength');
  if (!isRecord(content) || typeof keyMin !== 'number' || typeof keyMax !== 'number') {
    throw new Error(
      `fast path: openapi/gateway.yaml no longer declares POST ${FAST_PATH_URL} with XML bodies and an Idempotency-Key with min/maxLength`,
    );
  }
  // XML bodies only: a multipart message (with the files it lists) is express's and multer's.
  const mediaTypes = Object.keys(content)
    .map((t) => t.toLowerCase())
    .filter((t) => t.endsWith('xml'));
  if (mediaTypes.some((t) => t.includes('*')))
    throw new Error(`fast path: wildcard media types for POST ${FAST_PATH_URL} are not supported`);
  return { mediaTypes, keyMin, keyMax };
}

/**
 * Which requests may take the fast path: `POST /v1/messages` exactly as the contract expects it
 * (no query string, one of the operation's media types, a non-empty body of declared length, no
 * content coding, an Idempotency-Key within the bounds the OpenAPI file gives). These are the
 * request checks express-openapi-validator makes for this operation. A request failing any of them
 * is not answered by the fast path but handed to express, so every refusal (400, 404, 405, 415 …)
 * stays the validator's and the routers' own: the fast path only sees requests the validator passes.
 */
export function fastPathAdmission(spec: unknown): FastPathAdmission {
  const { mediaTypes, keyMin, keyMax } = readContract(spec);
  return (req) => {
    if (req.method !== 'POST' || req.url !== FAST_PATH_URL) return false;
    const { headers } = req;
    const contentType = headers['content-type'];
    if (contentType === undefined) return false;
    const semicolon = contentType.indexOf(';');
    const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
    if (!mediaTypes.includes(mediaType) || (semicolon >= 0 && !CHARSET_SUFFIX.test(contentType.slice(semicolon))))
      return false;
    // Chunked or compressed bodies are rare for this API; body-parser and the validator handle them.
    const length = headers['content-length'];
    if (
      length === undefined ||
      !CONTENT_LENGTH.test(length) ||
      headers['transfer-encoding'] !== undefined ||
      headers['content-encoding'] !== undefined
    )
      return false;
    const key = headers['idempotency-key'];
    return key === undefined || (key.length >= keyMin && key.length <= keyMax);
  };
}
