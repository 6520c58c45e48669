import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Database } from '../../db/database.ts';
import { formErrors, type FormErrors } from '../../platform/forms.ts';
import { setFlash } from '../../platform/flash.ts';
import { bodyOf, keptValues } from '../organisations/organisation.schemas.ts';
import { EDIT, idParam, ownScope } from './partner.routes.ts';
import type { PartnerRow } from './partner.repository.ts';
import { ContactSchema } from './partner.schemas.ts';
import { addContact, changeContact, getContact, getPartner, removeContact } from './partner.service.ts';

// A partner's named contacts: the people the commissioner works with there. Only the authority's
// commissioner adds, changes or removes them; everyone who may read the partner sees them on its page.

type Deps = { db: Database };
const V = (name: string) => `partners/views/${name}.njk`;

export function registerPartnerContactRoutes(app: FastifyInstance, { db }: Deps) {
  async function contactForm(
    reply: FastifyReply,
    p: PartnerRow,
    f: { contactId?: string; values: Record<string, string>; errors?: FormErrors },
  ) {
    if (f.errors) reply.code(400);
    return reply.page(V('contact-form'), {
      title: f.contactId ? `Change a contact at ${p.name}` : `Add a contact at ${p.name}`,
      backHref: `/partners/${p.id}#contacts`,
      action: f.contactId ? `/partners/${p.id}/contacts/${f.contactId}/edit` : `/partners/${p.id}/contacts`,
      partner: p,
      values: f.values,
      errors: f.errors,
    });
  }

  app.get('/partners/:id/contacts/new', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    return contactForm(reply, p, { values: {} });
  });

  app.post('/partners/:id/contacts', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const body = bodyOf(request.body);
    const parsed = ContactSchema.safeParse(body);
    if (!parsed.success)
      return contactForm(reply, p, { values: keptValues(body), errors: formErrors(parsed.error) });
    await addContact(db, own, p.id, parsed.data);
    setFlash(reply, `${parsed.data.contactName} has been added as a contact`);
    return reply.redirect(`/partners/${p.id}#contacts`, 303);
  });

  app.get('/partners/:id/contacts/:contactId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const { scope } = ownScope(request);
    const p = await getPartner(db, scope, idParam(request));
    const c = await getContact(db, p.id, idParam(request, 'contactId'));
    const values = {
      contactName: c.name,
      contactRole: c.role ?? '',
      email: c.email ?? '',
      phone: c.phone ?? '',
      isPrimary: c.is_primary ? 'yes' : '',
    };
    return contactForm(reply, p, { contactId: c.id, values });
  });

  app.post('/partners/:id/contacts/:contactId/edit', { config: { access: EDIT } }, async (request, reply) => {
    const own = ownScope(request);
    const p = await getPartner(db, own.scope, idParam(request));
    const c = await getContact(db, p.id, idParam(request, 'contactId'));
    const body = bodyOf(request.body);
    const parsed = ContactSchema.safeParse(body);
    if (!parsed.success)
      return contactForm(reply, p, {
        contactId: c.id,
        values: keptValues(body),
        errors: formErrors(parsed.error),
      });
    await changeContact(db, own, p.id, c.id, parsed.data);
    setFlash(reply, `The details of ${parsed.data.contactName} have been saved`);
    return reply.redirect(`/partners/${p.id}#contacts`, 303);
  });

  app.get(
    '/partners/:id/contacts/:contactId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const { scope } = ownScope(request);
      const p = await getPartner(db, scope, idParam(request));
      const c = await getContact(db, p.id, idParam(request, 'contactId'));
      return reply.page(V('confirm-remove'), {
        title: `Remove ${c.name} as a contact at ${p.name}?`,
        backHref: `/partners/${p.id}#contacts`,
        action: `/partners/${p.id}/contacts/${c.id}/remove`,
        explanation: 'Their name and contact details will no longer be kept in Mortar.',
        buttonText: 'Remove this contact',
        cancelHref: `/partners/${p.id}#contacts`,
      });
    },
  );

  app.post(
    '/partners/:id/contacts/:contactId/remove',
    { config: { access: EDIT } },
    async (request, reply) => {
      const own = ownScope(request);
      const p = await getPartner(db, own.scope, idParam(request));
      const c = await getContact(db, p.id, idParam(request, 'contactId'));
      if (await removeContact(db, own, p.id, c.id))
        setFlash(reply, `${c.name} has been removed as a contact`);
      return reply.redirect(`/partners/${p.id}#contacts`, 303);
    },
  );
}
