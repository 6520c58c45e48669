import { openDatabase } from '/work/main/src/db/database.ts';
import * as repo from '/work/main/src/modules/dashboards/indicator.repository.ts';
import { loadWorkforceCounts } from '/work/main/src/modules/partners/workforce.repository.ts';
import { loadNeed } from '/work/main/src/modules/dashboards/commissioner-dashboard.service.ts';
const h = await openDatabase({ databaseUrl: process.argv[2]! });
const t = async (name: string, f: () => Promise<unknown>) => { const s = performance.now(); await f(); console.log(name, (performance.now() - s).toFixed(0), 'ms'); };
const P = (q: 1|2|3|4) => ({ financialYear: 2025, quarter: q });
for (let i = 0; i < 2; i++) {
await t('all, one quarter', () => repo.loadIndicatorCounts(h.db, { authorities: 'all', from: P(4), to: P(4), asOf: '2026-11-26' }));
await t('all, year', () => repo.loadIndicatorCounts(h.db, { authorities: 'all', from: P(1), to: P(4), asOf: '2026-11-26' }));
await t('one LA, 8 quarters, breakdowns', () => repo.loadIndicatorCounts(h.db, { authorities: ['E10000016'], from: { financialYear: 2024, quarter: 1 }, to: P(4), asOf: '2026-11-26', breakdowns: true }));
await t('workforce all', () => loadWorkforceCounts(h.db, 'all', '2026-03-31'));
await t('need', () => loadNeed(h.db));
await t('partner activity', () => repo.loadPartnerActivity(h.db, 'E10000016', P(4), P(4), '2026-11-26'));
await t('goal', () => repo.cumulativeCmhcQuitDates(h.db, '2025-04-01', '2026-11-26'));
}
await h.close();
