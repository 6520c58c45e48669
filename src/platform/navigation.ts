import type { StaffUser } from './roles.ts';

type NavItem = { href: string; text: string; current?: boolean };

const ITEMS: Record<StaffUser['role'], NavItem[]> = {
  referrer: [
    { href: '/referrals/new', text: 'Refer someone' },
    { href: '/referrals', text: 'Your referrals' },
    { href: '/very-brief-advice', text: 'Training' },
  ],
  adviser: [
    { href: '/worklist', text: 'Worklist' },
    { href: '/episodes', text: 'Caseload' },
    { href: '/diary', text: 'Diary' },
  ],
  service_manager: [
    { href: '/service/dashboard', text: 'Dashboard' },
    { href: '/worklist', text: 'Worklist' },
    { href: '/episodes', text: 'Caseload' },
    { href: '/diary', text: 'Diary' },
    { href: '/outcomes-by-route', text: 'Outcomes by route' },
    { href: '/returns', text: 'Quarterly returns' },
    { href: '/directory/services', text: 'Service directory' },
    { href: '/audit', text: 'Audit' },
    { href: '/access-grants', text: 'Access granted' },
  ],
  commissioner: [
    { href: '/dashboard', text: 'Dashboard' },
    { href: '/strategy', text: 'Strategy' },
    { href: '/partners', text: 'Partners' },
    { href: '/campaigns', text: 'Campaigns' },
    { href: '/area', text: 'Referrals' },
    { href: '/need', text: 'Estimated need' },
    { href: '/outcomes-by-route', text: 'Outcomes by route' },
    { href: '/national-data/smoking', text: 'Smoking data' },
    { href: '/funding', text: 'Costs' },
    { href: '/returns', text: 'Quarterly returns' },
    { href: '/directory/services', text: 'Service directory' },
    { href: '/toolkit', text: 'Toolkit' },
  ],
  national_analyst: [
    { href: '/national/dashboard', text: 'Dashboard' },
    { href: '/national', text: 'Referrals' },
    { href: '/strategy', text: 'Strategies' },
    { href: '/partners', text: 'Partners' },
    { href: '/campaigns', text: 'Campaigns' },
    { href: '/need', text: 'Estimated need' },
    { href: '/national/trajectory', text: 'Trajectory' },
    { href: '/outcomes-by-route', text: 'Outcomes by route' },
    { href: '/national-data/smoking', text: 'Smoking data' },
    { href: '/funding', text: 'Costs' },
    { href: '/national/returns', text: 'Quarterly returns' },
    { href: '/toolkit', text: 'Toolkit' },
  ],
  administrator: [
    { href: '/admin', text: 'Your organisation' },
    { href: '/admin/users', text: 'Users' },
    { href: '/directory/services', text: 'Service directory' },
    { href: '/audit', text: 'Audit' },
    { href: '/access-grants', text: 'Access granted' },
  ],
  national_administrator: [
    { href: '/admin/organisations', text: 'Organisations' },
    { href: '/admin/users', text: 'Users' },
    { href: '/admin/medicines', text: 'Medicines list' },
    { href: '/admin/jobs', text: 'Jobs' },
    { href: '/national/trajectory', text: 'Trajectory' },
    { href: '/funding/estimate', text: 'Funding estimate' },
    { href: '/directory/services', text: 'Service directory' },
    { href: '/audit', text: 'Audit' },
    { href: '/access-grants', text: 'Access granted' },
    { href: '/toolkit', text: 'Toolkit' },
  ],
};

export function navigationFor(user: StaffUser | null, url: string): NavItem[] {
  if (!user) return [];
  const path = url.split('?')[0] ?? '';
  const items = ITEMS[user.role];
  // The most specific item is the current one: /national/returns is "Quarterly returns", not "England".
  const matches = items.filter((i) => path === i.href || path.startsWith(`${i.href}/`));
  const current = matches.sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((i) => ({ ...i, current: i === current }));
}
