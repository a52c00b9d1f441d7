import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromRoot } from '../../src/config/paths.js';
import { loadProfile, type LoadedProfile } from '../../src/xoev/profile.js';
import type { RegisterSink } from './register-sink.js';

/** The message type the chaos run submits. */
export const CHAOS_MESSAGE_TYPE = 'Aussonderung.Aussonderung.0503';
/** Connector instance names, as the chaos profile and the connectors file use them. */
export const REGISTER = 'archivregister';
export const WEBHOOK = 'leitstelle';
/** Webhook events the chaos run subscribes to (each is counted at the sink). */
export const WEBHOOK_EVENTS = ['done', 'review'] as const;

export interface ChaosDeliveryConfig {
  /** Environment for every gateway process of the run. */
  env: Record<string, string>;
  /** The chaos profile as the gateway loads it, to re-plan a finished job's deliveries in the report. */
  profile: LoadedProfile;
  cleanup(): void;
}

/**
 * Delivery for the chaos run, set up the way an operator would: a catalog folder
 * (XOEV_SCHEMAS_DIR) and a connectors file (CONNECTORS_FILE). The shipped catalog has no profile
 * for the xdomea Aussonderung, so without one its findings would go nowhere; the run uses a copy of
 * the catalog with a profile of its own (scripts/chaos/profiles/) that delivers two facts per
 * message to an `http-register` and subscribes a `webhook` to `done` and `review`. The production
 * catalog stays untouched. OUTBOUND_ALLOWLIST names the sink's loopback host:port, as documented
 * for internal registers (the SSRF guard refuses plain http otherwise).
 */
export async function chaosDeliveryConfig(sink: RegisterSink, signingSecret: string): Promise<ChaosDeliveryConfig> {
  const dir = mkdtempSync(join(tmpdir(), 'xgw-chaos-catalog-'));
  const catalog = join(dir, 'xoev-schemas');
  cpSync(fromRoot('xoev-schemas'), catalog, { recursive: true });
  const version = join(catalog, 'xdomea', '3.0.0');
  cpSync(fromRoot('scripts/chaos/profiles'), join(version, 'chaos-profiles'), { recursive: true });
  const descriptorFile = join(version, 'standard.json');
  const descriptor: unknown = JSON.parse(readFileSync(descriptorFile, 'utf8'));
  if (typeof descriptor !== 'object' || descriptor === null) throw new Error(`${descriptorFile} is not a JSON object`);
  const profiles: unknown = Reflect.get(descriptor, 'profiles');
  writeFileSync(
    descriptorFile,
    JSON.stringify(
      {
        ...descriptor,
        profiles: {
          ...(typeof profiles === 'object' && profiles !== null ? profiles : {}),
          [CHAOS_MESSAGE_TYPE]: 'chaos-profiles/aussonderung.0503.json',
        },
      },
      null,
      2,
    ),
  );

  const connectorsFile = join(dir, 'connectors.json');
  const timeoutMs = 2000; // below WORKER_LOCK_MS (4000 in the run): a claim must outlive the call
  writeFileSync(
    connectorsFile,
    JSON.stringify(
      {
        connectors: {
          [REGISTER]: { type: 'http-register', config: { baseUrl: sink.url, timeoutMs } },
          [WEBHOOK]: {
            type: 'webhook',
            config: { url: sink.hookUrl, events: [...WEBHOOK_EVENTS], timeoutMs },
            secrets: { signingSecret: 'CHAOS_WEBHOOK_SECRET' },
          },
        },
      },
      null,
      2,
    ),
  );
  const profile = await loadProfile(
    join(version, 'chaos-profiles', 'aussonderung.0503.json'),
    CHAOS_MESSAGE_TYPE,
    new Map(),
  );
  const sinkHost = new URL(sink.url).host;
  return {
    env: {
      XOEV_SCHEMAS_DIR: catalog,
      CONNECTORS_FILE: connectorsFile,
      OUTBOUND_ALLOWLIST: sinkHost,
      CHAOS_WEBHOOK_SECRET: signingSecret,
    },
    profile,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
