// The caseload: the service's episodes, open ones by default, each with its phase and outcome.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { auditMany } from '../../platform/audit.ts';
import { labelOf } from '../../platform/forms.ts';
import { serviceScope } from '../../platform/scope.ts';
import { EPISODE_MENTAL_HEALTH } from '../episodes/episode.schemas.ts';
import { caseload, episodePhase, PHASE_LABELS } from '../episodes/episode.service.ts';
import { OUTCOME_LABELS, type FourWeekOutcome } from '../episodes/four-week-outcome.ts';
import { config } from './treatment-page.routes.ts';
import { openTasksForService } from '../messages/message-tasks.service.ts';

export function registerCaseloadRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.get('/episodes', { config }, async (request, reply) => {
    const user = staffOf(request);
    const q = request.query as Record<string, unknown>;
    const includeClosed = q.show === 'all';
    const rows = await caseload(db, serviceScope(user), { includeClosed });
    await auditMany(
      db,
      user,
      'list',
      'episode',
      rows.map((r) => r.id),
      request.id,
    );
    return reply.page('treatment/views/caseload.njk', {
      title: 'Caseload',
      includeClosed,
      messageTasks: await openTasksForService(db, user, request.id),
      rows: rows.map((r) => ({
        ...r,
        phase:
          PHASE_LABELS[
            episodePhase({ quit_date: r.quit_date, closed_at: r.closed_at, four_week_outcome: r.outcome })
          ],
        outcomeLabel: r.outcome ? OUTCOME_LABELS[r.outcome as FourWeekOutcome] : null,
        mentalHealthLabel: labelOf(EPISODE_MENTAL_HEALTH, r.mental_health),
      })),
    });
  });
}
