import type { Database } from '../db/database.ts';
import type { StaffUser } from '../platform/roles.ts';
import { addDays, type IsoDate } from '../platform/dates.ts';
import { saveMilestones } from '../modules/strategy/trajectory.service.ts';
import type { Milestone } from '../modules/strategy/trajectory.ts';

// A demonstration trajectory to the 1.5 million goal, written through the same service as the page so it
// has a history: the national team set a first plan, then, a few months later, raised the early years and
// brought the goal forward a year. The numbers are illustrative, not a published plan.

const FIRST_PLAN: readonly Milestone[] = [
  { financialYear: 2025, target: 40_000 },
  { financialYear: 2026, target: 120_000 },
  { financialYear: 2028, target: 450_000 },
  { financialYear: 2030, target: 900_000 },
  { financialYear: 2033, target: 1_500_000 },
];

const REVISED_PLAN: readonly Milestone[] = [
  { financialYear: 2025, target: 40_000 },
  { financialYear: 2026, target: 150_000 },
  { financialYear: 2027, target: 300_000 },
  { financialYear: 2028, target: 500_000 },
  { financialYear: 2030, target: 950_000 },
  { financialYear: 2032, target: 1_500_000 },
];

const at = (day: IsoDate) => new Date(`${day}T10:00:00Z`);

/** `admin` is the demonstration's national administrator; `today` is the demonstration's clock. */
export async function loadDemoTrajectory(db: Database, admin: StaffUser, today: IsoDate): Promise<void> {
  await saveMilestones(db, admin, FIRST_PLAN, at(addDays(today, -200)), 'demo-trajectory-1');
  await saveMilestones(db, admin, REVISED_PLAN, at(addDays(today, -60)), 'demo-trajectory-2');
}
