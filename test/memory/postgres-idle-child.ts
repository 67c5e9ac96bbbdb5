/**
 * Run by postgres-adapter.test.ts in a process of its own, so that an unhandled 'error' event
 * would end it: opens the store, leaves a connection idle in the pool, has the server end that
 * connection (pg_terminate_backend from another client), waits until the store reports the
 * error, then tries the next operation. Prints one line of JSON; exit code 0 means it survived.
 */
import pg from 'pg';
import { openStore } from '../../src/memory/open-store.js';
import { StoreUnavailableError } from '../../src/memory/types.js';

const [url = '', app = ''] = process.argv.slice(2);
const errors: string[] = [];
const store = await openStore(`${url}?application_name=${app}`, {
  timeoutMs: 2000,
  onError: (error) => errors.push(String((error as { code?: unknown }).code ?? error)),
});
await store.setRecord('idle', 'before');

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
await admin.end();
for (let i = 0; i < 250 && errors.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));

let after: unknown;
try {
  after = await store.getRecord('idle');
} catch (error) {
  after = error instanceof StoreUnavailableError ? 'StoreUnavailableError' : `unexpected: ${String(error)}`;
}
await store.close();
process.stdout.write(`${JSON.stringify({ terminated: rowCount, errors, after })}\n`);
