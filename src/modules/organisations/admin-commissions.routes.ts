import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/database.ts';
import { staffOf } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { isoDateOf } from '../../platform/form-fields.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, commissionSchema, keptValues } from './organisation.schemas.ts';
import * as repo from './organisation.repository.ts';
import { FieldError, getOrganisation, setCommission } from './organisation.service.ts';
import { fieldError, idParam, NATIONAL, organisationPage } from './admin.routes.ts';

// Which local authority commissions a stop smoking service, from when: a national administrator's
// (platform/scope.ts adminScope). The form is on the organisation's page, which shows it again on errors.

export function registerCommissionRoutes(app: FastifyInstance, { db }: { db: Database }) {
  app.post(
    '/admin/organisations/:id/commissions',
    { config: { access: NATIONAL } },
    async (request, reply) => {
      const org = await getOrganisation(db, idParam(request));
      if (org.type !== 'stop_smoking_service') throw notFound('Organisation not found');
      const body = bodyOf(request.body);
      const values = keptValues(body);
      const input = {
        localAuthorityCode: body.localAuthorityCode,
        startsOn: isoDateOf(body['startsOn-day'], body['startsOn-month'], body['startsOn-year']) ?? '',
      };
      const again = (errors: FormErrors) =>
        organisationPage(db, request, reply, org.id, { form: 'commission', values, errors });
      const parsed = commissionSchema(app.clock.today()).safeParse(input);
      if (!parsed.success) return again(formErrors(parsed.error, { startsOn: 'startsOn-day' }));
      try {
        await setCommission(db, staffOf(request), org, parsed.data, request.id);
      } catch (err) {
        if (err instanceof FieldError) return again(fieldError(err));
        throw err;
      }
      const la = await repo.findLocalAuthority(db, parsed.data.localAuthorityCode);
      setFlash(reply, `${org.name} is now commissioned by ${la?.name ?? parsed.data.localAuthorityCode}`);
      return reply.redirect(`/admin/organisations/${org.id}`, 303);
    },
  );
}
