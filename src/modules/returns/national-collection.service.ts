// A quarter's national collection as national analysts read it: every authority's return status, the
// integrated-delivery returns of mental health services (return-unit.ts), and England's and each
// region's totals, each the sum of the submitted returns. Every episode counts in exactly one return, so
// adding the returns counts each once: England's totals are the authorities' returns plus the integrated
// returns (integrated-return.db.test.ts).
import type { Period, Quarter } from '../../platform/quarters.ts';
import { quarterRange } from '../../platform/quarters.ts';
import {
  collectionStatus,
  integratedCollectionStatus,
  submittedReturns,
} from './national-collection.repository.ts';
import { ENGLAND } from './publication.ts';
import type { QuarterlyReturn } from './return-definition.ts';
import { sumReturns } from './return-figures.ts';
import type { Executor } from './returns.sql.ts';

type Area = {
  code: string;
  name: string;
  /** The submitted returns the area's totals add up: its authorities' and its integrated services'. */
  returns: QuarterlyReturn[];
  authorities: number;
  /** Integrated services listed in the region this quarter, and how many of their returns are submitted. */
  integratedServices: number;
  integratedSubmitted: number;
};

/** England and each region: the sum of their submitted returns, integrated-delivery returns included. */
export async function collection(db: Executor, p: Period) {
  const { start, end } = quarterRange(p.financialYear, p.quarter);
  const [status, integrated, submitted] = await Promise.all([
    collectionStatus(db, p.financialYear, p.quarter),
    integratedCollectionStatus(db, p.financialYear, p.quarter, start, end),
    submittedReturns(db, p.financialYear, p.quarter),
  ]);
  const q = p.quarter as Quarter;
  const regions = new Map<string, Area>();
  for (const a of status) {
    const r = regions.get(a.region_code) ?? {
      code: a.region_code,
      name: a.region_name,
      returns: [],
      authorities: 0,
      integratedServices: 0,
      integratedSubmitted: 0,
    };
    r.authorities++;
    regions.set(a.region_code, r);
  }
  for (const i of integrated) {
    const r = i.region_code === null ? undefined : regions.get(i.region_code);
    if (r) r.integratedServices++;
  }
  for (const s of submitted) {
    const r = s.region_code === null ? undefined : regions.get(s.region_code);
    r?.returns.push(s.data);
    if (r && s.integrated) r.integratedSubmitted++;
  }
  const england = sumReturns(
    ENGLAND,
    p.financialYear,
    q,
    submitted.map((s) => s.data),
  );
  const regionSums = [...regions.values()].map((r) => ({
    ...r,
    sum: sumReturns(r.code, p.financialYear, q, r.returns),
  }));
  return { status, integrated, submitted, england, regions: regionSums };
}

export type Collection = Awaited<ReturnType<typeof collection>>;

/** A region with how many of its authorities' returns (and integrated-delivery returns) its totals add up. */
export function regionName(r: Collection['regions'][number]): string {
  const authorities = `${r.returns.length - r.integratedSubmitted} of ${r.authorities} submitted`;
  return r.integratedServices === 0
    ? `${r.name} (${authorities})`
    : `${r.name} (${authorities}; integrated delivery ${r.integratedSubmitted} of ${r.integratedServices})`;
}
