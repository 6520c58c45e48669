import type { FastifyInstance } from 'fastify';

const HOME_FOR_ROLE: Record<string, string> = {
  referrer: '/referrals/new',
  adviser: '/worklist',
  service_manager: '/service/dashboard',
  commissioner: '/dashboard',
  national_analyst: '/national/dashboard',
  administrator: '/admin',
  national_administrator: '/admin/organisations',
};

export function registerHome(app: FastifyInstance) {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    if (request.user) return reply.redirect(HOME_FOR_ROLE[request.user.role] ?? '/', 303);
    return reply.page('home.njk', { title: 'Stop smoking support for people with depression and anxiety' });
  });
  for (const [path, template, title] of [
    ['/accessibility', 'accessibility.njk', 'Accessibility statement'],
    ['/privacy', 'privacy.njk', 'Privacy'],
    ['/open-data', 'open-data.njk', 'Open data used in Mortar'],
  ] as const) {
    app.get(path, { config: { access: 'public' } }, async (_request, reply) =>
      reply.page(template, { title }),
    );
  }
}
