// The first published templates for local areas: a pathway, a smokefree policy, a campaign and a local
// strategy. Facts from docs/domain.md (Very Brief Advice; Treatment programme; Who smokes); after the
// first seeding the content is the national team's (toolkit.seed.ts).
import type { SeedDocument } from './toolkit.kinds.ts';

export const TEMPLATE_DOCUMENTS: readonly SeedDocument[] = [
  {
    slug: 'local-pathway',
    kind: 'local_pathway',
    title: 'Local pathway template: stop smoking support for people with depression or anxiety',
    body: `# Purpose

This pathway sets out how people with depression or anxiety in {{local authority}} are asked about smoking, advised, and referred to {{service name}}.

# Who it is for

Adults who smoke and have depression or anxiety, including people in NHS Talking Therapies, people seen in general practice, and people met by community and housing services.

# The pathway

1. Any trained member of staff gives Very Brief Advice: ask, advise, act.
2. The person is referred to {{service name}} the same day, with their consent.
3. The service contacts them within [number] working days.
4. The adviser offers a 6-session programme: a pre-quit assessment, the quit date, and weekly support up to a 4-week follow-up.
5. For people with depression or anxiety, the adviser talks through beliefs about smoking and mood, and takes a carbon monoxide reading at every session.
6. The adviser tells the person's prescriber when a medicine needs a dose review because they have stopped smoking.
7. The service tells the referrer what happened, with the person's consent.

# Contacts

- Service: {{service name}}
- Phone: {{service phone}}
- Website: {{service website}}

Sources: NCSCT Standard Treatment Programme; NICE guideline NG209 (2021).`,
  },
  {
    slug: 'smokefree-policy-vcs',
    kind: 'smokefree_policy',
    title: 'Smokefree policy template for voluntary and community organisations',
    body: `# Our commitment

[Organisation name] supports people to live smokefree. We ask everyone we work with about smoking, offer Very Brief Advice, and refer people who smoke to {{service name}}.

# What this policy covers

- Our buildings, vehicles and outdoor areas we control.
- Staff, volunteers, visitors and the people we support.

# What we will do

1. No smoking in our buildings, vehicles or entrances. Vaping is allowed in a marked outdoor area, away from entrances.
2. Train staff and volunteers who talk with the public in Very Brief Advice.
3. Offer every person who smokes a referral to {{service name}} ({{service phone}}).
4. Support staff and volunteers who want to stop, including time to attend support sessions.
5. Review this policy every year with {{local authority}}.

# Policy owner

Name: [policy owner]
Date agreed: [date]
Review date: [review date]`,
  },
  {
    slug: 'campaign-quit-with-support',
    kind: 'campaign',
    title: 'Campaign template: quit with support',
    body: `# Campaign message

Stopping smoking can help you feel less anxious and low. Free support from {{service name}}, with stop smoking medicine or a vape, gives you the best chance of stopping for good.

# Call to action

- Call {{service phone}}
- Visit {{service website}}
- Ask your GP, therapist or support worker to refer you

# Where to use it

- Posters in GP practices, pharmacies, talking therapies waiting rooms and foodbanks.
- Social media posts from {{local authority}} and partners.
- Messages sent to people on talking therapies waiting lists, with their service's agreement.

# Measuring it

Give the campaign a code and ask people to quote it when they are referred. Mortar counts the referrals, quit dates and 4-week quits that carry the code.`,
  },
  {
    slug: 'local-strategy',
    kind: 'local_strategy',
    title: 'Local strategy template: smoking and mental health',
    body: `# Our ambition

{{local authority}} will close the gap in smoking between people with depression or anxiety and everyone else.

# What we know

- About one in three people with depression smoke, and people with anxiety smoke at a similar rate.
- Their chances of quitting are about a fifth lower than other people's, but rise with specialist support.
- Stopping smoking is followed by less anxiety, depression and stress.

# Our priorities

1. Every NHS Talking Therapies service and GP practice gives Very Brief Advice and refers to {{service name}}.
2. The service offers support adapted for people with depression or anxiety.
3. Partners in community and housing services are trained and refer people.
4. We set yearly targets for referrals, quit dates set and 4-week quits, and publish our progress.

# How we will know

We will review the figures each quarter with {{service name}} and partners.

Sources: ASH and the Mental Health and Smoking Partnership, Falling through the cracks (2026); Taylor et al., BMJ (2014).`,
  },
];
