import { dashboardTable } from '../dashboards.ts';
import { describeSummary } from '../generate-national.ts';
import { table } from '../table.ts';
import type { DbResult } from './databases.ts';
import { AIM, fmt, lastYear, S } from './settings.ts';

export function report(results: DbResult[]): boolean {
  let allWithin = true;
  for (const r of results) {
    console.log(`\n${r.label}; ${r.note}`);
    console.log(describeSummary(r.summary, 'Generated'));
    console.log(`  vacuum (analyze) afterwards: ${r.vacuumSecs.toFixed(1)} s`);
    const busy = Math.max(r.other.load, r.other.timings);
    console.log(
      `  other processes on the machine used ${fmt(r.other.load)}% of a core during the load, ${fmt(r.other.timings)}% during the timings` +
        (busy > 25 ? ': WARNING, the figures are slower and noisier than on a quiet machine' : ''),
    );
    const rows = [
      ['Returns of every authority', 'Returns ms', 'Baseline ms', 'Ratio', `Within ${AIM}x`, 'Episodes'],
    ];
    for (const x of r.rows) {
      const ratio = x.returns.median / x.base.median;
      const within = ratio <= AIM;
      if (x.headline) allWithin &&= within;
      rows.push([
        x.label,
        fmt(x.returns.median, 1),
        fmt(x.base.median, 1),
        fmt(ratio, 2),
        within ? 'yes' : 'NO',
        x.returnsEpisodes === x.baseEpisodes
          ? fmt(x.baseEpisodes)
          : `${fmt(x.returnsEpisodes)} vs ${fmt(x.baseEpisodes)}!`,
      ]);
    }
    if (r.rows.length > 0) console.log(table(rows));
    if (r.dashboards) {
      console.log(
        `\nDashboards, ${S.dashboardRequests} requests each one after another (server time over app.inject), for ${lastYear()}/${String((lastYear() + 1) % 100)} Q4;` +
          ` commissioner and manager of ${r.dashboards.authority} (the busiest authority). Baseline: GET /indicators in the same session.`,
      );
      console.log(dashboardTable(r.dashboards.rows));
    }
    const mismatch = r.rows.filter((x) => x.returnsEpisodes !== x.baseEpisodes);
    if (mismatch.length > 0)
      console.log('  MISMATCH: the returns counted a different number of quit dates than the baseline scan.');
  }
  return allWithin;
}
