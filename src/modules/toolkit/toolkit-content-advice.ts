// The first published Very Brief Advice scripts, one for each setting where people with depression or
// anxiety are met. Facts from docs/domain.md (Very Brief Advice; Who smokes; Treatment programme); after
// the first seeding the content is the national team's (toolkit.seed.ts).
import type { SeedDocument } from './toolkit.kinds.ts';

const SOURCES =
  'Sources: National Centre for Smoking Cessation and Training (NCSCT), Very Brief Advice on smoking; NICE guideline NG209, Tobacco: preventing uptake, promoting quitting and treating dependence (2021).';

const ASK_ADVISE_ACT = `# The three steps

1. Ask: "Do you smoke?" Record the answer, and whether they vape.
2. Advise: "The best way to stop is with medicine and support from a specialist. It gives you the best chance of stopping for good."
3. Act: "I can refer you to {{service name}} today. Would that be OK?" If they say yes, refer them. If they say no, record that you gave the advice.

You do not need to ask whether the person wants to stop. Everyone who smokes is advised and offered help.`;

const SERVICE = `# Our local service

{{service name}} offers free support from a trained adviser, with stop smoking medicines or a vape.

- Phone: {{service phone}}
- Website: {{service website}}`;

function script(setting: string, opening: string, tips: string): string {
  return `# Why this matters ${setting}

${opening}

${ASK_ADVISE_ACT}

# Tips ${setting}

${tips}

${SERVICE}

${SOURCES}`;
}

export const ADVICE_DOCUMENTS: readonly SeedDocument[] = [
  {
    slug: 'vba-talking-therapies',
    kind: 'vba_script',
    title: 'Very Brief Advice script: NHS Talking Therapies',
    body: script(
      'in talking therapies',
      'About one in three people with depression smoke. People who stop smoking usually feel less anxious, less low and less stressed afterwards, not more. Smoking is not a form of self-care, even when it feels like one.',
      `- Ask at assessment, and again at review sessions: it takes about 30 seconds.
- If someone worries that stopping will make their mood worse, tell them that people who stop usually feel less anxious and low afterwards.
- Stop smoking support can work alongside therapy. Tell the service the person is in talking therapies so support can be planned around mood.
- Some medicines for mental health need a dose review when someone stops smoking. The stop smoking adviser will tell the prescriber.`,
    ),
  },
  {
    slug: 'vba-gp',
    kind: 'vba_script',
    title: 'Very Brief Advice script: GP practice',
    body: script(
      'in general practice',
      'Adults with a long-term mental health condition smoke at nearly twice the rate of other adults. A short conversation in a consultation is one of the most effective things a clinician can do for their health.',
      `- Ask at every suitable consultation, including medication reviews and mental health reviews.
- Record the smoking status code and that advice was given, whatever the answer.
- When someone on clozapine or olanzapine stops smoking, their blood levels can rise within days. Plan a dose review with the stop smoking service.
- Varenicline, or combination nicotine replacement therapy, with behavioural support works best.`,
    ),
  },
  {
    slug: 'vba-community',
    kind: 'vba_script',
    title: 'Very Brief Advice script: foodbanks and community settings',
    body: script(
      'in the community',
      'Many people who use community services smoke, and smoking costs money that households need for food and bills. Stopping with support is free.',
      `- Ask in a friendly, private way. Make it clear help is free and there is no judgement.
- Mention the money: someone smoking 10 a day can save a large amount each week by stopping.
- Offer to make the referral there and then, so the person does not have to phone.
- If the person says no, that is fine. Let them know they can come back to you at any time.`,
    ),
  },
  {
    slug: 'vba-housing',
    kind: 'vba_script',
    title: 'Very Brief Advice script: housing and tenancy support',
    body: script(
      'in housing support',
      'Smoking at home affects everyone who lives there, raises the risk of fire, and costs money that can put a tenancy at risk. Support to stop is free.',
      `- Ask during tenancy sign-up, support plan reviews and home visits.
- Talk about safety: smoking indoors is a fire risk for everyone in the building.
- A vape or nicotine replacement can help someone stop smoking indoors straight away, even before they are ready to stop completely.
- Offer to make the referral with the person during your visit.`,
    ),
  },
];
