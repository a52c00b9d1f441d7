#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { isAppError } from '../errors/app-error.js';
import { validateCommand } from './commands/validate.command.js';
import { AUDIT_USAGE, auditCommand } from './commands/audit.command.js';
import { KEYS_USAGE, keysCommand } from './commands/keys.command.js';
import { BACKUP_USAGE, backupCommand } from './commands/backup.command.js';
import { EVAL_USAGE, evalCommand } from './commands/eval.command.js';

/**
 * Offline tools. One file per subcommand under `commands/`; add one by adding a row here.
 */
const COMMANDS: Record<string, { usage: string; run: (args: string[]) => Promise<number> }> = {
  validate: {
    usage: 'validate [--schemas DIR] FILE…   parse, detect and XSD-validate XÖV messages offline',
    run: async (args) => {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { schemas: { type: 'string' } },
      });
      if (positionals.length === 0) {
        process.stderr.write('usage: xoev-gw validate [--schemas DIR] FILE…\n');
        return 2;
      }
      // The gateway's own configuration (XOEV_SCHEMAS_DIR, MAX_BODY_BYTES, XML_MAX_DEPTH …), read once.
      const config = loadConfig(process.env);
      return validateCommand(positionals, config, (l) => process.stdout.write(`${l}\n`), values.schemas);
    },
  },
  keys: {
    usage: KEYS_USAGE,
    run: (args) =>
      keysCommand(
        args,
        (l) => process.stdout.write(`${l}\n`),
        (l) => process.stderr.write(`${l}\n`),
      ),
  },
  backup: {
    usage: BACKUP_USAGE,
    run: (args) =>
      backupCommand(
        args,
        (l) => process.stdout.write(`${l}\n`),
        (l) => process.stderr.write(`${l}\n`),
      ),
  },
  eval: {
    usage: EVAL_USAGE,
    run: (args) =>
      evalCommand(
        args,
        loadConfig(process.env),
        (l) => process.stdout.write(`${l}\n`),
        (l) => process.stderr.write(`${l}\n`),
      ),
  },
  audit: {
    usage: AUDIT_USAGE,
    run: (args) =>
      auditCommand(
        args,
        (l) => process.stdout.write(`${l}\n`),
        (l) => process.stderr.write(`${l}\n`),
      ),
  },
};

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : COMMANDS[name];
if (command === undefined) {
  process.stderr.write(
    `usage: xoev-gw <command>\n${Object.values(COMMANDS)
      .map((c) => `  ${c.usage}`)
      .join('\n')}\n`,
  );
  process.exitCode = 2;
} else if (rest.includes('--help') || rest.includes('-h')) {
  process.stdout.write(`usage: xoev-gw ${command.usage}\n`);
} else {
  try {
    process.exitCode = await command.run(rest);
  } catch (error) {
    // A mistyped option is the user's to fix too: the usage line, not a stack trace.
    if (isParseArgsError(error)) {
      process.stderr.write(`xoev-gw ${name}: ${error.message.split('.')[0]}\nusage: xoev-gw ${command.usage}\n`);
      process.exitCode = 2;
    } else {
      // A wrong setting or a broken standard folder is the user's to fix: say what, not where in our code.
      if (!isAppError(error)) throw error;
      process.stderr.write(`xoev-gw ${name}: ${error.code}: ${error.detail ?? error.message}\n`);
      process.exitCode = 2;
    }
  }
}

/** node:util parseArgs refuses unknown options and missing values with these codes. */
function isParseArgsError(error: unknown): error is Error {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
