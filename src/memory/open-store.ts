/**
 * Opens the conversation store named by a Keyv-style store URL (MUSE_STORE_URL):
 *   memory://                              a plain Map (tests, bench)
 *   sqlite://./data/muse.sqlite            SQLite, relative path (the default)
 *   sqlite:///var/lib/muse/muse.sqlite     SQLite, absolute path (three slashes)
 *   redis://host:6379, rediss://host:6380  Redis (rediss = TLS)
 *   postgresql://user:pass@host/db         Postgres (also postgres://)
 * Adapters are imported lazily, so a Redis deployment never loads the native sqlite3 module.
 * Each backend also gets its own compare-and-set for conditional writes (see commit.ts) and a
 * coordination handle (leases, jobs with claims, dedupe, record compare-and-set: see
 * coordination.ts, `openCoordination(store)`). Closing the store releases its leases.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Keyv } from 'keyv';
import type { KeyvStoreAdapter } from 'keyv';
import { mapCommitIf } from './commit.js';
import { registerCoordination } from './coordination.js';
import type { Coordination } from './coordination.js';
import { hashTaggedKeys, plainKeys } from './keys.js';
import { KeyvConversationStore } from './keyv-store.js';
import type { KeyvStoreOptions } from './keyv-store.js';
import { localCoordination } from './local-coordination.js';
import { LocalLeases } from './local-leases.js';
import { mapRecordCas } from './records.js';
import { StoreUnavailableError } from './types.js';
import type { ConversationStore } from './types.js';

export const DEFAULT_STORE_URL = 'sqlite://./data/muse.sqlite';

export interface OpenStoreOptions {
  /** Upper bound for each store operation, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Key prefix, so several bots can share one Redis or table. Default 'muse'. */
  namespace?: string;
  /** Receives every error the store reports, once, for the log (dedupe's fail-open errors too). */
  onError?: (error: unknown) => void;
}

const ACCEPTED_FORMS =
  'memory://, sqlite://./relative/path.sqlite, sqlite:///absolute/path.sqlite, redis://host:6379, rediss://host:6379 or postgresql://user:password@host:5432/database';

export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<ConversationStore> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const onError = opts.onError ?? (() => {});
  const base: BaseOptions = { timeoutMs, namespace: opts.namespace ?? 'muse', onError };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'memory': {
      const map = new Map<string, unknown>();
      const keys = plainKeys(base.namespace);
      const leases = new LocalLeases(keys.lease, onError);
      const store = new KeyvConversationStore(makeKeyv(map), { ...base, commitIf: mapCommitIf(map, leases.holds) });
      return withCoordination(store, localCoordination({ store, leases, cas: mapRecordCas(map), keys, timeoutMs }, { kind: 'memory' }));
    }
    case 'sqlite':
      return openSqlite(url, base);
    case 'redis':
    case 'rediss':
      return openRedis(url, base);
    case 'postgres':
    case 'postgresql':
      return openPostgres(url, base);
    default:
      throw new Error(`The store URL "${describeStoreUrl(url)}" is not supported; use ${ACCEPTED_FORMS}.`);
  }
}

/** The URL with any password replaced by `***`, fit for logs. */
export function describeStoreUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^@]*@/i, '$1***@').replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

type BaseOptions = Required<Pick<KeyvStoreOptions, 'timeoutMs' | 'namespace' | 'onError'>>;

function makeKeyv(store: KeyvStoreAdapter | Map<unknown, unknown>): Keyv {
  // namespace undefined + useKeyPrefix false: KeyvConversationStore prefixes keys itself, the
  // same way on every adapter.
  return new Keyv({ store, namespace: undefined, useKeyPrefix: false, throwOnErrors: true });
}

/** Registers the store's coordination handle; its leases are released when the store closes. */
function withCoordination(store: KeyvConversationStore, coordination: Coordination): ConversationStore {
  registerCoordination(store, coordination);
  store.beforeClose(() => coordination.leases.releaseAll());
  return store;
}

async function openSqlite(url: string, base: BaseOptions): Promise<ConversationStore> {
  const path = url.replace(/^sqlite:\/\//i, '');
  if (path === '' || path === '/') {
    throw new Error(`The store URL "${url}" names no SQLite file; use ${ACCEPTED_FORMS}.`);
  }
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new StoreUnavailableError(`Muse could not create the folder for its SQLite store at ${path}.`, { cause: error });
    }
  }
  const { SqliteKeyvAdapter } = await import('./sqlite-adapter.js');
  let adapter: InstanceType<typeof SqliteKeyvAdapter>;
  try {
    adapter = new SqliteKeyvAdapter(path, { busyTimeoutMs: base.timeoutMs });
  } catch (error) {
    throw new StoreUnavailableError(`Muse could not open its SQLite store at ${path}.`, { cause: error });
  }
  // Keyv passes the adapter's 'error' events (a checkpoint that failed) on to the store's onError.
  const keys = plainKeys(base.namespace);
  const leases = new LocalLeases(keys.lease, base.onError);
  const store = new KeyvConversationStore(makeKeyv(adapter), {
    ...base,
    close: () => adapter.disconnect(),
    commitIf: (write) => adapter.commitIf(write, leases.holds),
  });
  const cas = { read: (key: string) => adapter.get<string>(key), swap: adapter.compareAndSwap.bind(adapter) };
  return withCoordination(store, localCoordination({ store, leases, cas, keys, timeoutMs: base.timeoutMs }, { kind: 'sqlite', db: adapter.database }));
}

async function openRedis(url: string, base: BaseOptions): Promise<ConversationStore> {
  const { default: KeyvRedis, createClient } = await import('@keyv/redis');
  const { redisCommitIf } = await import('./redis-commit.js');
  const { redisCoordination } = await import('./redis-coordination.js');
  const client = createClient({
    url,
    // Fail commands at once while disconnected instead of queueing them until Redis returns.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: base.timeoutMs,
      reconnectStrategy: (attempts: number) => Math.min(2 ** attempts * 100, 2000),
    },
  });
  const adapter = new KeyvRedis(client, {
    throwOnErrors: true,
    throwOnConnectError: true,
    connectionTimeout: base.timeoutMs,
  });
  const close = async (): Promise<void> => {
    if (client.isReady) await client.close();
    else if (client.isOpen) client.destroy();
  };
  // Made before connecting: Keyv passes the adapter's 'error' events (the client's connection
  // errors, from the first attempt on) to the store's onError.
  const store = new KeyvConversationStore(makeKeyv(adapter), { ...base, close, hashTags: true, commitIf: redisCommitIf(() => adapter.getClient()) });
  // Connect now, before the store is handed out: with the offline queue off, commands sent
  // while the client is still connecting fail ("The client is offline"), so concurrent first
  // operations would fail. Wait at most the store timeout; a server that is not up by then is
  // reported by each operation (StoreUnavailableError) while the client keeps reconnecting.
  await connectWithin(client, base.timeoutMs);
  return withCoordination(store, redisCoordination(client, hashTaggedKeys(base.namespace), base.namespace, base.timeoutMs, base.onError));
}

async function openPostgres(url: string, base: BaseOptions): Promise<ConversationStore> {
  const { PostgresKeyvAdapter } = await import('./postgres-adapter.js');
  const { postgresCoordination } = await import('./postgres-coordination.js');
  // The pool connects on first use: a bad host or password shows as StoreUnavailableError then.
  const adapter = new PostgresKeyvAdapter({ url, timeoutMs: base.timeoutMs });
  // Keyv passes the adapter's 'error' events (an idle connection lost) on to the store's onError.
  const store = new KeyvConversationStore(makeKeyv(adapter), { ...base, close: () => adapter.disconnect(), commitIf: (write) => adapter.commitIf(write) });
  return withCoordination(store, postgresCoordination(adapter, plainKeys(base.namespace), base.namespace, base.timeoutMs, base.onError));
}

/** Starts connecting the client and waits until it is ready or `timeoutMs` has passed. */
async function connectWithin(client: { connect(): Promise<unknown> }, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const connected = client.connect().catch(() => {
    // Reported through the client's 'error' events (the adapter passes them to onError).
  });
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([connected, timeout]).finally(() => clearTimeout(timer));
}
