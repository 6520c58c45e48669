// An organisation's shared inbox for updates on the referrals its staff and systems send (issue 13), set
// on the organisation's page by its administrator. Left empty, it is cleared.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { setFlash } from '../../platform/flash.ts';
import { formErrors } from '../../platform/forms.ts';
import { ADMIN, managedOrganisation, organisationPage } from './admin.routes.ts';
import { bodyOf, keptValues, ReferralUpdatesInboxSchema } from './organisation.schemas.ts';
import { setReferralUpdatesInbox } from './organisation.service.ts';

export function registerReferralUpdatesInboxRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.post(
    '/admin/organisations/:id/referral-updates',
    { config: { access: ADMIN } },
    async (request, reply) => {
      const org = await managedOrganisation(db, request);
      const body = bodyOf(request.body);
      const parsed = ReferralUpdatesInboxSchema.safeParse(body);
      if (!parsed.success)
        return organisationPage(db, request, reply, org.id, {
          form: 'referral-updates',
          values: keptValues(body),
          errors: formErrors(parsed.error),
        });
      const email = parsed.data.referralUpdatesEmail ?? null;
      await setReferralUpdatesInbox(db, staffOf(request), org.id, email, request.id);
      setFlash(
        reply,
        email
          ? `Updates on ${org.name}'s referrals will be emailed to ${email}`
          : `Updates on ${org.name}'s referrals will no longer be emailed to a shared inbox`,
      );
      return reply.redirect(`/admin/organisations/${org.id}`, 303);
    },
  );
}
