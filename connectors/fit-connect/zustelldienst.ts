import { ConnectorError, type HttpFetch } from '../connector.js';

/** Where the Zustelldienst and its token endpoint are, and who the subscriber is. */
export interface ZustelldienstOptions {
  /** The Submission API's base, e.g. `https://submission-api-testing.fit-connect.fitko.dev`. */
  submissionApi: string;
  /** The OAuth token endpoint, e.g. `https://auth-testing.fit-connect.fitko.dev/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  fetch: HttpFetch;
  /** Largest answer read, in bytes (a submission's encrypted data, an attachment). */
  maxBytes: number;
}

/** A submission as the list names it. */
export interface SubmissionRef {
  submissionId: string;
  caseId: string;
  destinationId?: string;
}

/** A submission as the Zustelldienst hands it out: encrypted parts and the ids of its attachments. */
export interface EncryptedSubmission {
  submissionId: string;
  caseId: string;
  destinationId?: string;
  encryptedMetadata: string;
  encryptedData?: string;
  attachments: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The requests this client makes: a method, headers as plain names and values, a text body. */
interface ZustelldienstRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Tokens are renewed this long before they expire (they live 30 minutes). */
const RENEW_BEFORE_MS = 60_000;

/**
 * The subscriber's side of the FIT-Connect Submission API: an OAuth 2.0 client-credentials token,
 * cached until shortly before it expires and fetched anew once on a 401; the submissions of a
 * destination, one submission, its attachments, and posting an event. Failures are ConnectorErrors:
 * retryable for 5xx, timeouts and refused connections, not for 4xx.
 */
export class Zustelldienst {
  private token: { value: string; until: number } | undefined;

  constructor(private readonly options: ZustelldienstOptions) {}

  private async fetchToken(): Promise<string> {
    const res = await this.call(this.options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
      }).toString(),
    });
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok || !isRecord(body) || typeof body.access_token !== 'string')
      throw new ConnectorError(`the token endpoint answered ${res.status}`, res.status >= 500);
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 300;
    this.token = { value: body.access_token, until: Date.now() + seconds * 1000 - RENEW_BEFORE_MS };
    return body.access_token;
  }

  private async call(url: string, init: ZustelldienstRequest): Promise<Response> {
    try {
      return await this.options.fetch(url, init);
    } catch (cause) {
      throw new ConnectorError(`${new URL(url).host} cannot be reached`, true, { cause });
    }
  }

  /** A request with the bearer token; a 401 fetches a new token once. */
  private async authorised(path: string, init: ZustelldienstRequest = {}): Promise<Response> {
    const url = `${this.options.submissionApi.replace(/\/$/, '')}${path}`;
    for (let attempt = 0; ; attempt++) {
      const token =
        this.token !== undefined && this.token.until > Date.now() ? this.token.value : await this.fetchToken();
      const res = await this.call(url, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      });
      if (res.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      if (!res.ok)
        throw new ConnectorError(
          `${init.method ?? 'GET'} ${path} answered ${res.status}`,
          res.status >= 500 || res.status === 429,
        );
      return res;
    }
  }

  private async text(res: Response): Promise<string> {
    const length = Number(res.headers.get('content-length') ?? '0');
    if (length > this.options.maxBytes) throw new ConnectorError(`an answer of ${length} bytes is too large`, false);
    const text = await res.text();
    if (text.length > this.options.maxBytes * 2) throw new ConnectorError('an answer is too large', false);
    return text;
  }

  /** The submissions waiting for the destination (one page). */
  async list(destinationId: string, offset = 0, limit = 100): Promise<{ submissions: SubmissionRef[]; total: number }> {
    const res = await this.authorised(
      `/v1/submissions?destinationId=${encodeURIComponent(destinationId)}&offset=${offset}&limit=${limit}`,
    );
    const body: unknown = JSON.parse(await this.text(res));
    const list = isRecord(body) && Array.isArray(body.submissions) ? body.submissions : [];
    const submissions = list.flatMap((s): SubmissionRef[] =>
      isRecord(s) && typeof s.submissionId === 'string' && typeof s.caseId === 'string'
        ? [
            {
              submissionId: s.submissionId,
              caseId: s.caseId,
              ...(typeof s.destinationId === 'string' ? { destinationId: s.destinationId } : {}),
            },
          ]
        : [],
    );
    const total = isRecord(body) && typeof body.totalCount === 'number' ? body.totalCount : submissions.length;
    return { submissions, total };
  }

  async submission(submissionId: string): Promise<EncryptedSubmission> {
    const res = await this.authorised(`/v1/submissions/${encodeURIComponent(submissionId)}`);
    const body: unknown = JSON.parse(await this.text(res));
    if (
      !isRecord(body) ||
      typeof body.submissionId !== 'string' ||
      typeof body.caseId !== 'string' ||
      typeof body.encryptedMetadata !== 'string'
    )
      throw new ConnectorError('the submission has no encrypted metadata or ids', false);
    const attachments = Array.isArray(body.attachments)
      ? body.attachments.filter((a): a is string => typeof a === 'string')
      : [];
    return {
      submissionId: body.submissionId,
      caseId: body.caseId,
      ...(typeof body.destinationId === 'string' ? { destinationId: body.destinationId } : {}),
      encryptedMetadata: body.encryptedMetadata,
      ...(typeof body.encryptedData === 'string' ? { encryptedData: body.encryptedData } : {}),
      attachments,
    };
  }

  async attachment(submissionId: string, attachmentId: string): Promise<string> {
    const res = await this.authorised(
      `/v1/submissions/${encodeURIComponent(submissionId)}/attachments/${encodeURIComponent(attachmentId)}`,
    );
    return this.text(res);
  }

  /** Posts a signed event (a Security Event Token) to the submission's case. */
  async postEvent(caseId: string, set: string): Promise<void> {
    await this.authorised(`/v1/cases/${encodeURIComponent(caseId)}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: set,
    });
  }
}
