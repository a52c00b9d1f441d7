/**
 * The built-in connector types, by type id. Explicit on purpose: what the gateway can talk to is
 * visible in one place, and adding a connector is adding one line here (see connectors/README.md).
 */
import type { ConnectorType } from './connector.js';
import { httpRegister } from './http-register/http-register.connector.js';
import { postgresRegister } from './postgres-register/postgres-register.connector.js';
import { rpa } from './rpa/rpa.connector.js';
import { webhook } from './webhook/webhook.connector.js';
import { xoevReply } from './xoev-reply/xoev-reply.connector.js';
import { fitConnect } from './fit-connect/fit-connect.connector.js';

export const BUILT_IN_CONNECTORS: Readonly<Record<string, ConnectorType>> = {
  'postgres-register': postgresRegister,
  'http-register': httpRegister,
  webhook,
  rpa,
  'xoev-reply': xoevReply,
  'fit-connect': fitConnect,
};
