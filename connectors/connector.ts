/**
 * The connector contract. A connector is a small plug-in that moves facts between the gateway and
 * the outside world: registers it delivers to and looks facts up in (outbound, lookup), webhooks
 * and RPA hooks it notifies (outbound), sources it receives messages from (inbound).
 *
 * Every implementation runs the conformance suite in `test/conformance/`. Keep this file small:
 * it declares only what the gateway really calls.
 */
import { Ajv, type JSONSchemaType } from 'ajv';

/** What a connector can do; the gateway only calls the methods its capabilities promise. */
export type Capability = 'inbound' | 'outbound' | 'lookup';

/** Describes a connector type: identity, what it can do, its configuration and its secrets. */
export interface ConnectorManifest<C> {
  /** Connector type id, kebab-case (`postgres-register`); the `type` in the connectors file. */
  readonly id: string;
  /** Semver of the connector implementation; recorded with each delivery. */
  readonly version: string;
  readonly description: string;
  readonly capabilities: readonly Capability[];
  /** JSON Schema of the `config` object in the connectors file; checked once at start-up. */
  readonly configSchema: JSONSchemaType<C>;
  /**
   * Names of the secrets the connector needs. The connectors file maps each to an environment
   * variable name (`"secrets": { "password": "REGISTER_PG_PASSWORD" }`); values never live in the file.
   */
  readonly secrets: readonly { readonly name: string; readonly required: boolean; readonly doc: string }[];
}

/** Where a delivered fact comes from: enough for an auditor to trace it back. */
export interface Provenance {
  /** nachrichtenUUID of the source message (or the task job's reference). */
  sourceMessageId?: string;
  jobId: string;
  tenant: string;
  /** Models and prompt versions of the findings the fields came from (deduplicated). */
  models: string[];
  promptVersions: string[];
  /** Person who decided in review, when a person decided. */
  reviewer?: string;
}

/**
 * One fact for one register, keyed so that it happens once. `key` is stable across retries,
 * crashes and resubmissions of the same message: registers use it as their idempotency key.
 */
export interface Delivery {
  key: string;
  /** Name of the fact (`vorhaben`, `anlageart`). */
  fact: string;
  /** Whom or what the fact is about (e.g. an Aktenzeichen or a message id). */
  subject: string;
  fields: Record<string, unknown>;
  provenance: Provenance;
}

/** A register's answer to a delivery. */
export interface DeliveryReceipt {
  /** `delivered`: stored now; `duplicate`: the register already had this delivery key. */
  outcome: 'delivered' | 'duplicate';
  /** The register's own id of the record, if it gives one. */
  reference?: string;
}

export interface LookupResult {
  found: boolean;
  fields?: Record<string, unknown>;
}

export interface HealthResult {
  ok: boolean;
  detail?: string;
}

/** A file that came with an inbound message (an attachment of a FIT-Connect submission). */
export interface InboundAttachment {
  fileName: string;
  mimeType?: string;
  bytes: Buffer;
}

/** An inbound message handed to the gateway by an inbound connector. */
export interface InboundMessage {
  body: Buffer;
  contentType: string;
  idempotencyKey?: string;
  /** Files beside the message; the message refers to them by file name. */
  attachments?: InboundAttachment[];
  /** Whose message (the tenant its job belongs to). @defaultValue default */
  tenant?: string;
  /** Where it came from, recorded with its job (`fit-connect` with destination, submission and case ids). */
  source?: { channel: string; ids: Record<string, string> };
}

/**
 * What the gateway made of an inbound message: its job and how far the job has come (`received`:
 * queued or analysing; `analysed`: waiting for a person, delivering or done; `failed`).
 */
export interface InboundReceipt {
  jobId: string;
  stage: 'received' | 'analysed' | 'failed';
}

/**
 * What an inbound connector tells the gateway about one source message, for the audit trail,
 * metrics and the list of held messages: `accepted`/`rejected` (the source was answered),
 * `waiting` (taken, answered once analysed), `held` (cannot be handled now; stays with the
 * source, visible with its reason until it is answered).
 */
export interface InboundReport {
  /** The source's id of the message (a submission id). */
  ref: string;
  outcome: 'accepted' | 'rejected' | 'waiting' | 'held';
  /** A short, bounded reason code (a metric label): `decryption`, `hash`, `XGW_XOEV_INVALID`, `key`, … */
  reason?: string;
  /** What went wrong, for a person (no message content). */
  detail?: string;
  jobId?: string;
  tenant?: string;
  /** The source's ids (destination, submission, case). */
  ids?: Record<string, string>;
}

/** A callback a source sent to the gateway about new messages (its headers and raw body). */
export interface InboundNotice {
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

/**
 * What `submit` throws when the gateway refuses an inbound message for what it is (not well-formed,
 * not valid against its XSD, too large): the source should be told so. Other errors mean "try again".
 */
export class InboundRefusal extends Error {
  constructor(
    message: string,
    /** Where in the message, as the gateway's problem names it (a line, a JSON pointer). */
    readonly where?: string,
  ) {
    super(message);
    this.name = 'InboundRefusal';
  }
}

/** Minimal fetch the connectors use: the gateway passes its SSRF-guarded one. */
export type HttpFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Minimal logger; the gateway passes a pino child with `connector` bound. */
export interface ConnectorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What the gateway gives a connector when it creates one. */
export interface ConnectorContext {
  /** Instance name from the connectors file (`bauregister`). */
  name: string;
  /** Secret values by secret name, read from the environment variables the file names. */
  secrets: Readonly<Record<string, string>>;
  fetch: HttpFetch;
  logger: ConnectorLogger;
  /**
   * A lease shared by every gateway process (Redis): true when this process holds `name` for
   * `ttlMs`. Inbound connectors poll under it, so one process polls at a time.
   */
  lease?(name: string, ttlMs: number): Promise<boolean>;
}

/**
 * A running connector instance. Methods not covered by the manifest's capabilities are absent.
 * Implementations must be safe to call concurrently and must not retry on their own: the deliver
 * queue is the one retry layer. Throw `ConnectorError` to say whether a retry can help.
 */
export interface Connector {
  readonly manifest: ManifestInfo;
  readonly name: string;
  healthCheck(): Promise<HealthResult>;
  /** Releases pools and sockets; the instance is not used afterwards. Must be safe to call twice. */
  close(): Promise<void>;
  /** Outbound: idempotent by `delivery.key` — delivering the same key twice stores one record. */
  deliver?(delivery: Delivery): Promise<DeliveryReceipt>;
  /** Lookup: does the register already hold `fact` for `subject`? */
  lookup?(subject: string, fact: string): Promise<LookupResult>;
  /**
   * Inbound: start receiving; `submit` hands each message to the gateway's intake (throws
   * InboundRefusal for a refused one) and tells its job; `report` tells what became of each message.
   */
  receive?(
    submit: (message: InboundMessage) => Promise<InboundReceipt>,
    report?: (report: InboundReport) => Promise<void>,
  ): Promise<void>;
  /**
   * Inbound: a callback of the source (`POST /v1/inbound/{name}/callback`). Checks it and answers
   * at once (200, or 401 for one that does not check out); the work is done after the answer.
   */
  notify?(notice: InboundNotice): Promise<{ status: 200 | 400 | 401; detail?: string }>;
}

/**
 * A connector failure. `retryable: false` (bad request, rejected record) sends the delivery to the
 * dead-letter list at once; `true` (timeout, 5xx, connection refused) lets the queue retry.
 */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectorError';
  }
}

/** A manifest with its config type erased, as the registry and the API see it. */
export type ManifestInfo = Omit<ConnectorManifest<unknown>, 'configSchema'> & { readonly configSchema: object };

/** What `defineConnector` is given: a manifest and how to create an instance from checked config. */
export interface ConnectorDefinition<C> {
  readonly manifest: ConnectorManifest<C>;
  create(config: C, context: ConnectorContext): Connector;
}

/** One problem with a connector's config, located by JSON pointer inside `config`. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/**
 * A connector type as the registry holds it: config checked against the manifest's schema before
 * `create` sees it, so no connector ever receives unchecked config.
 */
export interface ConnectorType {
  readonly manifest: ManifestInfo;
  /** Problems of `config` against the schema (empty: valid). */
  check(config: unknown): ConfigProblem[];
  /** Creates an instance; throws `ConnectorConfigError` when `config` is invalid. */
  create(config: unknown, context: ConnectorContext): Connector;
}

/** Thrown by `ConnectorType.create` for config that does not match the manifest's schema. */
export class ConnectorConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `field ${p.field}: ${p.message}`).join('; '));
    this.name = 'ConnectorConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true });

/**
 * Declares a connector type. It ties `create`'s config type to the JSON Schema (ajv's
 * `JSONSchemaType<C>`), compiles the schema once, and validates before every `create`.
 */
export function defineConnector<C>(definition: ConnectorDefinition<C>): ConnectorType {
  const validate = ajv.compile<C>(definition.manifest.configSchema);
  const check = (config: unknown): ConfigProblem[] => {
    if (validate(config)) return [];
    return (validate.errors ?? []).map((e) => ({
      field:
        e.keyword === 'required' && typeof e.params.missingProperty === 'string'
          ? `${e.instancePath}/${e.params.missingProperty}`
          : e.instancePath || '/',
      message: e.message ?? 'invalid',
    }));
  };
  return {
    manifest: definition.manifest,
    check,
    create(config, context) {
      if (!validate(config)) throw new ConnectorConfigError(check(config));
      return definition.create(config, context);
    },
  };
}
