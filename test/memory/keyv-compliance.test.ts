/**
 * Keyv's own compliance suite (@keyv/test-suite) against our two storage adapters.
 *
 * Run: keyvApiTests (get/set/delete/has/clear, getMany/deleteMany, expiry through Keyv),
 * keyvValueTests (false, null, numbers, objects, Buffers, quotes, BigInt with another
 * serializer) and keyvNamespaceTest (two namespaces on one table: set, delete and clear keep to
 * their own). Skipped: keyvIteratorTests, because neither adapter implements the optional
 * iterator() (Muse never lists keys), and keyvCompresstionTests, which tests compression
 * adapters, not stores.
 *
 * The API and value tests share one adapter (Keyv gives it the same namespace each time); the
 * namespace tests need one adapter per Keyv, since Keyv sets its namespace on the adapter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vitest from 'vitest';
import { afterAll, afterEach, describe } from 'vitest';
import { Keyv } from 'keyv';
import { keyvApiTests, keyvNamespaceTest, keyvValueTests } from '@keyv/test-suite';
import pg from 'pg';
import { PostgresKeyvAdapter } from '../../src/memory/postgres-adapter.js';
import { SqliteKeyvAdapter } from '../../src/memory/sqlite-adapter.js';

type Adapter = SqliteKeyvAdapter | PostgresKeyvAdapter;

function compliance(name: string, open: () => Adapter): void {
  describe(`Keyv compliance: ${name}`, () => {
    const made: Adapter[] = [];
    const fresh = (): Adapter => {
      const adapter = open();
      made.push(adapter);
      return adapter;
    };
    const shared = fresh();
    afterAll(async () => {
      await Promise.all(made.map((adapter) => adapter.disconnect()));
    });

    describe('api', () => keyvApiTests(vitest, Keyv, () => shared));
    describe('values', () => keyvValueTests(vitest, Keyv, () => shared));
    describe('namespaces', () => {
      const before = made.length;
      afterEach(async () => {
        await Promise.all(made.splice(before).map((adapter) => adapter.disconnect()));
      });
      keyvNamespaceTest(vitest, Keyv, fresh);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'muse-keyv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
compliance('SqliteKeyvAdapter', () => new SqliteKeyvAdapter(join(dir, 'compliance.sqlite')));

const postgresUrl = process.env.MUSE_TEST_POSTGRES_URL ?? 'postgresql://127.0.0.1:5432/muse_test';
// One pool for every adapter; a table of its own, so the suite's clear() touches no other test.
const pool = new pg.Pool({ connectionString: postgresUrl, max: 4 });
pool.on('error', () => {});
afterAll(() => pool.end());
compliance('PostgresKeyvAdapter', () => new PostgresKeyvAdapter({ pool, table: 'keyv_compliance' }));
