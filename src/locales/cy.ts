// Welsh for Mortar's public pages, keyed by the English (platform/translate.ts). Written for Mortar in
// plain Welsh to match the plain English of the pages; it has not yet been checked by a professional
// translator, which the Welsh Language Standards expect before a service goes live in Wales (docs/welsh.md).
// Keep phrases whole sentences: Welsh word order and mutations do not survive English fragments.

import { WELSH_FINDER } from './finder.cy.ts';
import { WELSH_SELF_REFERRAL_ERRORS } from './self-referral-errors.cy.ts';
import { WELSH_SELF_REFERRAL } from './self-referral.cy.ts';

const WELSH_FRAME_AND_WORRIES: Readonly<Record<string, string>> = {
  // The page frame
  'Skip to main content': 'Neidio i’r prif gynnwys',
  'Sign in': 'Mewngofnodi',
  Back: 'Yn ôl',
  'There is a problem': 'Mae problem',
  'Error: ': 'Gwall: ',
  'Information: ': 'Gwybodaeth: ',
  Language: 'Iaith',
  Account: 'Cyfrif',
  'Support links': 'Dolenni cymorth',
  'Accessibility statement': 'Datganiad hygyrchedd',
  Privacy: 'Preifatrwydd',
  'Open data used in Mortar': 'Data agored a ddefnyddir yn Mortar',
  'Quarterly returns statistics': 'Ystadegau’r ffurflenni chwarterol',
  'Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data © Royal Mail copyright and database right 2025. Contains National Statistics data © Crown copyright and database right 2025.':
    'Yn cynnwys data’r AO © Hawlfraint y Goron a hawl cronfa ddata 2025. Yn cynnwys data’r Post Brenhinol © Hawlfraint a hawl cronfa ddata’r Post Brenhinol 2025. Yn cynnwys data’r Ystadegau Gwladol © Hawlfraint y Goron a hawl cronfa ddata 2025.',

  // If you need help now (on every page of the self-referral journey)
  'If you need help now': 'Os oes angen help arnoch chi nawr',
  'This form is not for urgent help. If you feel you might hurt yourself, or you are very worried about how you feel:':
    'Nid yw’r ffurflen hon ar gyfer help brys. Os ydych chi’n teimlo y gallech chi wneud niwed i chi’ch hun, neu os ydych chi’n poeni’n fawr am sut rydych chi’n teimlo:',
  'call {link} and choose option 2 for mental health help':
    'ffoniwch {link} a dewis opsiwn 2 i gael help iechyd meddwl',
  'call {link} in an emergency': 'ffoniwch {link} mewn argyfwng',
  'call Samaritans free on {link}, at any time': 'ffoniwch y Samariaid am ddim ar {link}, unrhyw bryd',

  // Stopping smoking and your mental health
  'Stopping smoking and your mental health': 'Rhoi’r gorau i smygu a’ch iechyd meddwl',
  'Lots of people with anxiety or depression smoke, and many of them want to stop. Here are answers to some common worries.':
    'Mae llawer o bobl sydd â gorbryder neu iselder yn smygu, ac mae llawer ohonyn nhw eisiau rhoi’r gorau iddi. Dyma atebion i rai pryderon cyffredin.',
  'Will stopping make my anxiety worse?': 'A fydd rhoi’r gorau iddi yn gwneud fy ngorbryder yn waeth?',
  'For most people, no. People who stop smoking feel less anxious, less low and less stressed than people who keep smoking.':
    'I’r rhan fwyaf o bobl, na fydd. Mae pobl sy’n rhoi’r gorau i smygu yn teimlo’n llai pryderus, yn llai isel ac o dan lai o straen na phobl sy’n dal i smygu.',
  'Smoking can feel like it calms you, but smoking can make anxiety worse, and stopping often helps.':
    'Gall smygu deimlo fel pe bai’n eich tawelu, ond gall smygu wneud gorbryder yn waeth, ac mae rhoi’r gorau iddi yn aml yn helpu.',
  'The first few weeks can be hard. Your stop smoking adviser will help you through them. Medicine or a vape can make cravings easier.':
    'Gall yr wythnosau cyntaf fod yn anodd. Bydd eich cynghorydd rhoi’r gorau i smygu yn eich helpu drwyddyn nhw. Gall meddyginiaeth neu fêp wneud y chwant yn haws.',
  'Will it make my depression worse?': 'A fydd yn gwneud fy iselder yn waeth?',
  'Most people find their mood gets better after they stop. Help with your mood at the same time as help to stop smoking makes it more likely that stopping will work.':
    'Mae’r rhan fwyaf o bobl yn gweld bod eu hwyliau’n gwella ar ôl iddyn nhw roi’r gorau iddi. Mae help gyda’ch hwyliau ar yr un pryd â help i roi’r gorau i smygu yn ei gwneud yn fwy tebygol y bydd rhoi’r gorau iddi yn llwyddo.',
  'Can I keep my therapist?': 'Alla i gadw fy therapydd?',
  'Yes. If you get help from NHS Talking Therapies, you keep seeing your therapist. Stopping smoking does not change that.':
    'Gallwch. Os ydych chi’n cael help gan therapi siarad y GIG, byddwch chi’n dal i weld eich therapydd. Nid yw rhoi’r gorau i smygu yn newid hynny.',
  'Tell your stop smoking adviser that you see a therapist. If you agree, they can let your therapist know how you are getting on.':
    'Dywedwch wrth eich cynghorydd rhoi’r gorau i smygu eich bod chi’n gweld therapydd. Os ydych chi’n cytuno, gallan nhw roi gwybod i’ch therapydd sut rydych chi’n dod yn eich blaen.',
  'Are vapes safe?': 'Ydy fêps yn ddiogel?',
  'Vaping is much less harmful than smoking. It is not completely free of risk, so if you do not smoke, do not start.':
    'Mae fepio yn llawer llai niweidiol na smygu. Nid yw’n gwbl ddiogel, felly os nad ydych chi’n smygu, peidiwch â dechrau.',
  'Many people stop smoking by switching to a vape. Local stop smoking services can give free vape starter kits through a scheme called Swap to Stop. Ask your service.':
    'Mae llawer o bobl yn rhoi’r gorau i smygu drwy newid i fêp. Gall gwasanaethau rhoi’r gorau i smygu lleol roi pecynnau cychwyn fêp am ddim drwy gynllun o’r enw Swap to Stop. Gofynnwch i’ch gwasanaeth.',
  'What support is there?': 'Pa gymorth sydd ar gael?',
  'Your local stop smoking service is free. You can get:':
    'Mae eich gwasanaeth rhoi’r gorau i smygu lleol am ddim. Gallwch chi gael:',
  'an adviser who talks with you every week, for at least the first 4 weeks':
    'cynghorydd sy’n siarad â chi bob wythnos, am o leiaf y 4 wythnos gyntaf',
  'medicine, like nicotine patches and gum, varenicline or cytisine':
    'meddyginiaeth, fel patshys a gwm nicotin, varenicline neu cytisine',
  'a free vape starter kit': 'pecyn cychwyn fêp am ddim',
  'Medicine or a vape, together with support from an adviser, gives you the best chance of stopping for good.':
    'Meddyginiaeth neu fêp, gyda chymorth gan gynghorydd, sy’n rhoi’r cyfle gorau i chi roi’r gorau iddi am byth.',
  'I take medicine for my mental health. Is that OK?':
    'Rydw i’n cymryd meddyginiaeth ar gyfer fy iechyd meddwl. Ydy hynny’n iawn?',
  'Yes, but tell your doctor or pharmacist before you stop smoking.':
    'Ydy, ond dywedwch wrth eich meddyg neu’ch fferyllydd cyn i chi roi’r gorau i smygu.',
  'Smoking changes how your body uses some medicines, such as clozapine and olanzapine. When you stop smoking, the amount of these medicines in your blood can go up within a few days. Your doctor may need to check your dose.':
    'Mae smygu yn newid sut mae eich corff yn defnyddio rhai meddyginiaethau, fel clozapine ac olanzapine. Pan fyddwch chi’n rhoi’r gorau i smygu, gall lefel y meddyginiaethau hyn yn eich gwaed godi o fewn ychydig ddyddiau. Efallai y bydd angen i’ch meddyg wirio eich dos.',
  'Nicotine patches and vapes do not do this. If you start smoking again, tell your doctor then too.':
    'Nid yw patshys nicotin a fêps yn gwneud hyn. Os byddwch chi’n dechrau smygu eto, dywedwch wrth eich meddyg bryd hynny hefyd.',
  'Ready to start?': 'Yn barod i ddechrau?',
  'Ask your local stop smoking service to contact you':
    'Gofynnwch i’ch gwasanaeth rhoi’r gorau i smygu lleol gysylltu â chi',
  'Or call the National Smokefree Helpline free on {link}.':
    'Neu ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar {link}.',
};

/** Each page group's Welsh, apart so no file grows past reading; cy.test.ts checks no phrase is in two. */
export const WELSH_PARTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  frameAndWorries: WELSH_FRAME_AND_WORRIES,
  finder: WELSH_FINDER,
  selfReferral: WELSH_SELF_REFERRAL,
  selfReferralErrors: WELSH_SELF_REFERRAL_ERRORS,
};

export const WELSH: Readonly<Record<string, string>> = Object.assign({}, ...Object.values(WELSH_PARTS));
