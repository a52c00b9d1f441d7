import { AppError } from '../errors/app-error.js';
import { SETTINGS, type SettingKey, type SettingSpec } from './config-schema.js';

type ValueOf<S extends SettingSpec> = S['type'] extends 'int' | 'duration-s'
  ? number
  : S['type'] extends 'bool'
    ? boolean
    : string;

/** The parsed, validated and frozen configuration. Settings without default and value are `undefined`. */
export type Config = {
  readonly [K in SettingKey]: (typeof SETTINGS)[K] extends { default: string }
    ? ValueOf<(typeof SETTINGS)[K]>
    : ValueOf<(typeof SETTINGS)[K]> | undefined;
} & {
  /**
   * The environment as it was at start, frozen: where the providers and connectors files find the
   * secrets they name by variable. Not printed (describeConfig prints the settings only).
   */
  readonly env: Readonly<Record<string, string | undefined>>;
};

function parseValue(key: string, spec: SettingSpec, raw: string): string | number | boolean {
  const fail = (why: string): never => {
    throw new AppError('XGW_CONFIG_INVALID', {
      detail: `${spec.env}=${spec.secret ? '***' : JSON.stringify(raw)}: ${why}`,
      extensions: { setting: key },
    });
  };
  switch (spec.type) {
    case 'int':
    case 'duration-s': {
      if (!/^-?\d+$/.test(raw.trim())) return fail('expected an integer');
      const n = Number.parseInt(raw, 10);
      if (spec.min !== undefined && n < spec.min) return fail(`must be at least ${spec.min}`);
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      return fail('expected true or false');
    }
    case 'url':
      try {
        return new URL(raw).toString().replace(/\/$/, '');
      } catch {
        return fail('expected a URL');
      }
    case 'enum':
      if (!spec.values?.includes(raw)) return fail(`expected one of ${spec.values?.join(', ')}`);
      return raw;
    default:
      if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(raw)) return fail(`must match ${spec.pattern}`);
      return raw;
  }
}

/** Parse the environment once at start-up. Throws XGW_CONFIG_INVALID naming the variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const raw = env[spec.env];
    const source = raw !== undefined && raw !== '' ? raw : spec.default;
    out[key] = source === undefined ? undefined : parseValue(key, spec, source);
  }
  // Not enumerable: the configuration prints and compares as its settings.
  Object.defineProperty(out, 'env', { value: Object.freeze({ ...env }), enumerable: false });
  // The mapping above follows SETTINGS exactly, which is what Config is derived from.
  return Object.freeze(out) as unknown as Config;
}

function maskUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    if (u.username) u.username = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '***';
  }
}

/** The configuration as printed at start-up: secrets masked, URLs without credentials. */
export function describeConfig(config: Config): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [SettingKey, SettingSpec][]) {
    const value = config[key];
    if (value === undefined) out[spec.env] = null;
    else if (spec.secret && spec.type === 'url' && typeof value === 'string') out[spec.env] = maskUrl(value);
    else if (spec.secret) out[spec.env] = '***';
    else out[spec.env] = value;
  }
  return out;
}
