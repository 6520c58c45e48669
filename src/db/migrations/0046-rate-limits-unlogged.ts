import { sql, type Kysely } from 'kysely';

// Issue 15, speed. Every request counts a hit in rate_limit_counters (migration 0014), one row per limit
// and address, in a statement of its own: a commit that waited for the write-ahead log to reach disk,
// with the next request from the same address queued on the row's lock meanwhile (bench/README.md,
// Profile of one referral). An unlogged table is shared by every instance as before, but its changes
// are not written to the log, so the commit does not wait for a disk flush.
//
// What is given up: after a crash of the database server (not a clean restart) the table starts empty,
// so every address starts a new window; a window lasts a minute, so at most one more minute's requests
// get through. Unlogged tables are not copied to a streaming replica, and nothing reads these counts
// there. Wrong passwords (sign_in_throttle) stay logged: their waits last longer than a minute.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table rate_limit_counters set unlogged`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Mortar migrations are forward-only');
}
