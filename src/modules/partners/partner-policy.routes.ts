import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { EDIT, idParam, ownScope } from './partner.routes.ts';
import type * as repo from './partner.repository.ts';
import { dateValues, DATE_ANCHORS, itemsOf, policySchema, withDates } from './partner.schemas.ts';
import { getPartner, setPolicy } from './partner.service.ts';
import { POLICY_STATUSES } from './policy.ts';

// A partner's smokefree policy: its status (none, drafted, adopted), when it was adopted and when it is
// next reviewed. Only the authority's commissioner sets it; the partner's page shows it to every reader.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;

export function registerPartnerPolicyRoutes(app: FastifyInstance, { db }: Deps) {
  async function policyForm(
    reply: FastifyReply,
    p: repo.PartnerRow,
    values: Record<string, string>,
    errors?: FormErrors,
  ) {
    if (errors) reply.code(400);
    return reply.page(V('policy-form'), {
      title: `Smokefree policy of ${p.name}`,
      backHref: `/partners/${p.id}`,
      partner: p,
      values,
      errors,
      statusItems: itemsOf(POLICY_STATUSES, values.policyStatus),
    });
  }

  app.get('/partners/:id/policy', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return policyForm(reply, p, {
      policyStatus: p.policy_status ?? '',
      policyNotes: p.policy_notes ?? '',
      ...dateValues('adoptedOn', p.adopted_on),
      ...dateValues('reviewOn', p.review_on),
    });
  });

  app.post('/partners/:id/policy', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const body = bodyOf(request.body);
    const parsed = policySchema(app.clock.today()).safeParse(withDates(body, ['adoptedOn', 'reviewOn']));
    if (!parsed.success)
      return policyForm(
        reply,
        p,
        keptValues(body),
        formErrors(parsed.error, { ...DATE_ANCHORS, policyStatus: 'policyStatus' }),
      );
    await setPolicy(db, own, p, parsed.data);
    setFlash(
      reply,
      `The smokefree policy of ${p.name} has been saved: ${POLICY_STATUSES[parsed.data.policyStatus].toLowerCase()}`,
    );
    return reply.redirect(`/partners/${p.id}`, 303);
  });
}
