import { parseArgs } from 'node:util';
import { ApiKeyNameTakenError, ApiKeyRepository } from '#persistence';
import { generateApiKey, hashApiKey, isRole, KEY_NAME_PATTERN, KEY_NAME_RULE, ROLES } from '../auth/api-key.js';
import { Clock } from '../common/clock.js';
import { openDatabase, runCommands } from './cli-support.js';

const clock = new Clock();

const USAGE = `usage: npm run keys -- <command>
  create --name NAME --role ${ROLES.join('|')}
      issue a key; it is printed once, on the last line (only its hash is stored)
  list
      every key ever issued: name, role, created, revoked (never the key)
  revoke NAME
      the key stops working at once (within a second on other instances)
The database is DATABASE_URL's, as for the service (default sqlite:data/calls.db).
Once a key exists, every API request needs one (Authorization: Bearer <key>).`;

runCommands(USAGE, { create, list, revoke });

async function create(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' }, role: { type: 'string' } } });
  if (!values.name || !KEY_NAME_PATTERN.test(values.name)) throw new Error(`--name must be ${KEY_NAME_RULE}\n${USAGE}`);
  if (!isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  const key = generateApiKey();
  const db = await openDatabase();
  try {
    await new ApiKeyRepository(db).create({ name: values.name, role: values.role, keyHash: hashApiKey(key), createdAt: clock.now().toISOString() });
  } catch (error) {
    if (error instanceof ApiKeyNameTakenError) {
      process.stderr.write(`${error.message} (npm run keys -- revoke ${values.name})\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
  process.stdout.write(`created key "${values.name}" (${values.role}); it is shown only now, store it safely:\n${key}\n`);
  return 0;
}

async function list(): Promise<number> {
  const db = await openDatabase();
  try {
    const keys = await new ApiKeyRepository(db).list();
    if (keys.length === 0) {
      process.stdout.write('no keys (the API is open on loopback; npm run keys -- create --name NAME --role admin)\n');
      return 0;
    }
    const rows = [['NAME', 'ROLE', 'CREATED', 'REVOKED'], ...keys.map((k) => [k.name, k.role, k.createdAt, k.revokedAt ?? '-'])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const row of rows)
      process.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd()}\n`,
      );
    return 0;
  } finally {
    await db.close();
  }
}

async function revoke(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const name = positionals[0];
  if (!name || positionals.length > 1) throw new Error(`revoke takes one key name\n${USAGE}`);
  const db = await openDatabase();
  try {
    const at = await new ApiKeyRepository(db).revoke(name, clock.now().toISOString());
    if (!at) {
      process.stderr.write(`no live key is named "${name}"\n`);
      return 1;
    }
    process.stdout.write(`revoked key "${name}" at ${at}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
