import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../database.ts';
import { createTestDatabase } from '../../../test/helpers/test-db.ts';
import { updateSeededEntries } from './0017-medicine-names.ts';

// The test database is migrated before the default list is seeded, so the entries 0017 brings up to date
// are made here as 0002's seed left them: an untouched default, and one an administrator has edited.

let handle: DatabaseHandle;
before(async () => {
  handle = await createTestDatabase();
});
after(() => handle.close());

const SPS = 'SPS: Managing specific interactions with smoking';
const row = (code: string) =>
  handle.db
    .selectFrom('affected_medicines')
    .select(['also_known_as', 'source', 'source_url', 'source_checked_on'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();

test('0017 adds the new brand names and the source address to seeded entries, and leaves an administrator’s edits alone', async () => {
  const db = handle.db;
  const asSeeded = { source_url: null, source_checked_on: null };
  await db
    .updateTable('affected_medicines')
    .set({ also_known_as: ['Zyprexa'], source: SPS, ...asSeeded })
    .where('code', '=', 'olanzapine')
    .execute();
  await db
    .updateTable('affected_medicines')
    .set({ also_known_as: ['Haldol', 'serenace', 'Halo-local'], source: 'Local formulary', ...asSeeded })
    .where('code', '=', 'haloperidol')
    .execute();
  await db
    .updateTable('affected_medicines')
    .set({ source: SPS, source_url: 'https://example.org/local-copy', source_checked_on: '2026-01-05' })
    .where('code', '=', 'clozapine')
    .execute();

  await updateSeededEntries(db as unknown as Kysely<unknown>);
  await updateSeededEntries(db as unknown as Kysely<unknown>); // twice: nothing is added twice

  assert.deepEqual(await row('olanzapine'), {
    also_known_as: ['Zyprexa', 'ZypAdhera', 'Arkolamyl'],
    source: SPS,
    source_url: 'https://www.sps.nhs.uk/articles/managing-specific-interactions-with-smoking/',
    source_checked_on: '2026-12-06',
  });
  assert.deepEqual(
    await row('haloperidol'),
    {
      also_known_as: ['Haldol', 'serenace', 'Halo-local', 'Dozic'],
      source: 'Local formulary',
      source_url: null,
      source_checked_on: null,
    },
    'a brand already there in other capitals is not added again; a changed source is not given SPS’s address',
  );
  assert.deepEqual(
    await row('clozapine'),
    {
      also_known_as: ['Clozaril', 'Denzapine', 'Zaponex'],
      source: SPS,
      source_url: 'https://example.org/local-copy',
      source_checked_on: '2026-01-05',
    },
    'an address already recorded is kept',
  );
});
