import { readFile } from 'node:fs/promises';
import type { JSONSchemaType } from 'ajv';
import { compileSchema } from '../config/json-schema.js';
import type { Connector, ConnectorType, HttpFetch } from '../../connectors/connector.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../observability/logger.js';

/** One enabled connector in the connectors file. */
interface InstanceEntry {
  /** Connector type id (`postgres-register`, `http-register`, `webhook`, `rpa`). */
  type: string;
  config: Record<string, unknown>;
  /** Secret name → environment variable holding it. */
  secrets?: Record<string, string>;
}

/** The connectors file (`CONNECTORS_FILE`). */
interface ConnectorsFile {
  connectors: Record<string, InstanceEntry>;
  /** Where findings of message types without profile `deliveries` go (one fact per finding). */
  defaultDelivery?: { connector: string };
}

const fileSchema: JSONSchemaType<ConnectorsFile> = {
  type: 'object',
  additionalProperties: false,
  required: ['connectors'],
  properties: {
    connectors: {
      type: 'object',
      required: [],
      propertyNames: { pattern: '^[a-z][a-z0-9-]{0,62}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'config'],
        properties: {
          type: { type: 'string' },
          config: { type: 'object', required: [] },
          secrets: {
            type: 'object',
            nullable: true,
            required: [],
            additionalProperties: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
          },
        },
      },
    },
    defaultDelivery: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['connector'],
      properties: { connector: { type: 'string' } },
    },
  },
};

const validateFile = compileSchema<ConnectorsFile>(fileSchema);

function invalid(file: string, field: string, why: string, connector?: string): AppError {
  const who = connector === undefined ? '' : `connector "${connector}": `;
  return new AppError('XGW_CONFIG_INVALID', {
    detail: `${file}: ${who}field ${field}: ${why}`,
    extensions: { file, field, ...(connector === undefined ? {} : { connector }) },
  });
}

/**
 * The enabled connector instances, by name. Built once at start-up from the connectors file: each
 * instance's config is checked against its type's schema and its secrets read from the environment;
 * anything wrong stops start-up with XGW_CONFIG_INVALID naming the connector and the field.
 */
export class ConnectorSet {
  private constructor(
    private readonly instances: ReadonlyMap<string, { connector: Connector; config: Record<string, unknown> }>,
    /** Instance receiving findings of message types without profile deliveries. */
    readonly defaultConnector: string | undefined,
  ) {}

  /** No connectors file: delivery disabled. */
  static empty(): ConnectorSet {
    return new ConnectorSet(new Map(), undefined);
  }

  /** Builds instances from an already-parsed file value (tests and the loader). */
  static fromValue(
    value: unknown,
    file: string,
    types: Readonly<Record<string, ConnectorType>>,
    env: Readonly<Record<string, string | undefined>>,
    fetch: HttpFetch,
    logger: Logger,
    lease?: (name: string, ttlMs: number) => Promise<boolean>,
  ): ConnectorSet {
    if (!validateFile(value)) {
      const e = validateFile.errors?.[0];
      const field =
        e === undefined
          ? '/'
          : e.keyword === 'required' && typeof e.params.missingProperty === 'string'
            ? `${e.instancePath}/${e.params.missingProperty}`
            : e.instancePath || '/';
      throw invalid(file, field, e?.message ?? 'invalid');
    }
    const instances = new Map<string, { connector: Connector; config: Record<string, unknown> }>();
    try {
      for (const [name, entry] of Object.entries(value.connectors)) {
        const type = types[entry.type];
        if (type === undefined)
          throw invalid(
            file,
            `/connectors/${name}/type`,
            `unknown connector type ${entry.type} (known: ${Object.keys(types).join(', ')})`,
            name,
          );
        const problem = type.check(entry.config)[0];
        if (problem !== undefined)
          throw invalid(
            file,
            `/connectors/${name}/config${problem.field === '/' ? '' : problem.field}`,
            problem.message,
            name,
          );
        const secrets: Record<string, string> = {};
        for (const declared of type.manifest.secrets) {
          const envName = entry.secrets?.[declared.name];
          const secretValue = envName === undefined ? undefined : env[envName];
          if (secretValue !== undefined && secretValue !== '') secrets[declared.name] = secretValue;
          else if (declared.required)
            throw invalid(
              file,
              `/connectors/${name}/secrets/${declared.name}`,
              envName === undefined
                ? 'required secret: name the environment variable holding it'
                : `environment variable ${envName} is not set`,
              name,
            );
        }
        for (const extra of Object.keys(entry.secrets ?? {})) {
          if (!type.manifest.secrets.some((s) => s.name === extra))
            throw invalid(
              file,
              `/connectors/${name}/secrets/${extra}`,
              `${entry.type} declares no secret ${extra}`,
              name,
            );
        }
        const log = logger.child({ connector: name });
        instances.set(name, {
          connector: type.create(entry.config, {
            name,
            secrets,
            fetch,
            logger: log,
            ...(lease === undefined ? {} : { lease: (n: string, ttl: number) => lease(`${name}:${n}`, ttl) }),
          }),
          config: entry.config,
        });
      }
    } catch (error) {
      for (const i of instances.values()) void i.connector.close().catch(() => undefined);
      throw error;
    }
    const fallback = value.defaultDelivery?.connector;
    if (fallback !== undefined && !instances.has(fallback))
      throw invalid(file, '/defaultDelivery/connector', `no connector named ${fallback}`);
    return new ConnectorSet(instances, fallback);
  }

  /** Reads and checks `CONNECTORS_FILE`. */
  static async load(
    file: string,
    types: Readonly<Record<string, ConnectorType>>,
    env: Readonly<Record<string, string | undefined>>,
    fetch: HttpFetch,
    logger: Logger,
    lease?: (name: string, ttlMs: number) => Promise<boolean>,
  ): Promise<ConnectorSet> {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (cause) {
      throw new AppError('XGW_CONFIG_INVALID', {
        detail: `${file}: not a readable JSON file (CONNECTORS_FILE)`,
        extensions: { file, field: '/' },
        cause,
      });
    }
    return ConnectorSet.fromValue(value, file, types, env, fetch, logger, lease);
  }

  get enabled(): boolean {
    return this.instances.size > 0;
  }

  get(name: string): Connector | undefined {
    return this.instances.get(name)?.connector;
  }

  /** The instances that receive messages (capability `inbound`), by name. */
  inbound(): { name: string; connector: Connector }[] {
    return [...this.instances.entries()]
      .filter(([, i]) => i.connector.manifest.capabilities.includes('inbound'))
      .map(([name, i]) => ({ name, connector: i.connector }));
  }

  names(): string[] {
    return [...this.instances.keys()];
  }

  /** Webhook instances and the job events they subscribed to. */
  webhooks(): { name: string; events: string[] }[] {
    const out: { name: string; events: string[] }[] = [];
    for (const [name, i] of this.instances) {
      if (i.connector.manifest.id !== 'webhook') continue;
      const events = i.config.events;
      out.push({
        name,
        events: Array.isArray(events)
          ? events.filter((e): e is string => typeof e === 'string')
          : ['done', 'failed', 'review'],
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.instances.values()].map((i) => i.connector.close().catch(() => undefined)));
  }
}
