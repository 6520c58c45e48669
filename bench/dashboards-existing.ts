// The dashboards alone on a national database already loaded (bench/generate-national.ts), so a change to
// a dashboard's queries can be measured in a minute instead of the returns benchmark's 25. Writes to
// the database (accounts, strategies, partners, a new referral before some requests): never point it at
// data that matters. Prints figures; it is not a test.
//
//   node bench/dashboards-existing.ts --database-url postgres://… [--requests 50] [--only 'Service manager']
//   node bench/dashboards-existing.ts --data-dir /tmp/pglite-national …   (embedded: compare the same scale)
//   node bench/dashboards-existing.ts --database-url postgres://… --read-database-url postgres://…replica
//     (read-heavy pages from a streaming replica of that database, as with READ_DATABASE_URL)
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/database.ts';
import { dashboardTable, measureDashboards } from './dashboards.ts';
import { loadavg } from 'node:os';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    'read-database-url': { type: 'string' },
    requests: { type: 'string', default: '50' },
    only: { type: 'string' },
    year: { type: 'string', default: '2025' },
    quarter: { type: 'string', default: '4' },
  },
});
if (!values['database-url'] === !values['data-dir']) {
  console.error('Give --database-url or --data-dir: a national database from bench/generate-national.ts.');
  process.exit(2);
}
const handle = await openDatabase(
  values['database-url']
    ? { databaseUrl: values['database-url'], poolSize: 4 }
    : { dataDir: values['data-dir']! },
);
try {
  const quarter = Number(values.quarter) as 1 | 2 | 3 | 4;
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const { authority, rows } = await measureDashboards(handle.db, {
    last: { financialYear: Number(values.year), quarter },
    requests: Number(values.requests),
    log: (m) => console.error(m),
    only: values.only ? new RegExp(values.only) : undefined,
    replica: values['read-database-url']
      ? { primaryUrl: values['database-url']!, readUrl: values['read-database-url'] }
      : undefined,
  });
  const reads = values['read-database-url'] ? ' Read-heavy pages read from the replica.' : '';
  console.log(`Busiest authority ${authority}; load average before the run ${load}.${reads}`);
  console.log(dashboardTable(rows));
} finally {
  await handle.close();
}
