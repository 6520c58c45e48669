// The service's diary: sessions due in the next two weeks, and those overdue, across its open episodes.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { addDays, daysBetween, formatDate, type IsoDate } from '../../platform/dates.ts';
import { serviceScope } from '../../platform/scope.ts';
import * as repo from './treatment.repository.ts';
import { capitalise, sessionLabel, whatIsDue } from './treatment.section.ts';
import { config } from './treatment-page.routes.ts';

/** How far ahead the diary looks, today included. */
export const DIARY_DAYS = 14;

export function registerDiaryRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/diary', { config }, async (request, reply) => {
    const user = staffOf(request);
    const today = app.clock.today();
    const to = addDays(today, DIARY_DAYS - 1);
    const rows = await repo.diary(db, serviceScope(user), to);
    await auditMany(db, user, 'list', 'episode', [...new Set(rows.map((r) => r.episode_id))], request.id);
    return reply.page('treatment/views/diary.njk', {
      title: 'Diary',
      groups: diaryGroups(rows, today),
      count: rows.length,
      from: formatDate(today),
      to: formatDate(to),
      days: DIARY_DAYS,
    });
  });
}

type DiaryRow = Awaited<ReturnType<typeof repo.diary>>[number];

/** The sessions by day, the overdue ones together under one heading. */
function diaryGroups(rows: readonly DiaryRow[], today: IsoDate) {
  const groups: { key: string; heading: string; overdue: boolean; items: unknown[] }[] = [];
  for (const r of rows) {
    const overdue = daysBetween(today, r.scheduled_on) < 0;
    const key = overdue ? 'overdue' : r.scheduled_on;
    let group = groups.find((g) => g.key === key);
    if (!group) {
      const heading = overdue ? 'Overdue' : dayHeading(r.scheduled_on, today);
      group = { key, heading, overdue, items: [] };
      groups.push(group);
    }
    group.items.push({
      href: `/episodes/${r.episode_id}/sessions/${r.id}`,
      episodeHref: `/episodes/${r.episode_id}`,
      name: `${r.given_name} ${r.family_name}`,
      phone: r.phone,
      label: sessionLabel(r.kind),
      due: capitalise(whatIsDue(r.kind, r.quit_date, today)),
      scheduledOn: formatDate(r.scheduled_on, today),
      adviser: r.adviser_name,
    });
  }
  return groups;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function dayHeading(d: IsoDate, today: IsoDate): string {
  const weekday = WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()]!;
  const when = daysBetween(today, d) === 0 ? 'Today, ' : daysBetween(today, d) === 1 ? 'Tomorrow, ' : '';
  return `${when}${weekday} ${formatDate(d, today)}`;
}
