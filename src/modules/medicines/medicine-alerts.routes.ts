import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { audit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { setFlash } from '../../platform/flash.ts';
import type { EpisodeRow } from '../episodes/episode.service.ts';
import * as repo from './medicines.repository.ts';
import { serviceEpisode } from './medicines.service.ts';

// The alerts raised for a person's medicines when they stop smoking (or start again): acknowledging one.
// The letter to the prescriber each one calls for is in medicine-letter.routes.ts. Every route finds the
// episode through the service's scope first, so another service's episode or alert is "not found".

const SERVICE = ['adviser', 'service_manager'] as const;
const param = (request: FastifyRequest, name: string) =>
  (request.params as Record<string, string>)[name] ?? '';
const medicinesHref = (e: EpisodeRow) => `/episodes/${e.id}#medicines`;

type Deps = { db: Database };

export function registerMedicineAlertRoutes(app: FastifyInstance, { db }: Deps) {
  app.post(
    '/episodes/:id/medicine-alerts/:alertId/acknowledge',
    { config: { access: SERVICE } },
    async (request, reply) => {
      const user = staffOf(request);
      const episode = await serviceEpisode(db, user, param(request, 'id'));
      const alertId = param(request, 'alertId');
      const alert = await repo.findAlert(db, episode.id, alertId);
      if (!alert) throw notFound('Alert not found');
      if (await repo.acknowledgeAlert(db, episode.id, alertId, user.id)) {
        await audit(
          db,
          user,
          { action: 'update', entityType: 'medicine_alert', entityId: alertId, detail: 'acknowledged' },
          request.id,
        );
        setFlash(reply, 'The alert has been acknowledged. Make sure the prescriber has the letter.');
      }
      return reply.redirect(medicinesHref(episode), 303);
    },
  );
}
