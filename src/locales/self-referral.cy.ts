// Welsh for the self-referral form (/self-referral), what it says when a request cannot be sent, and the
// confirmation page. Keyed by the English, like cy.ts, which joins this in. The form's error messages
// are in self-referral-errors.cy.ts.

export const WELSH_SELF_REFERRAL: Readonly<Record<string, string>> = {
  // The form
  'Ask for help to stop smoking': 'Gofyn am help i roi’r gorau i smygu',
  'Tell us how to reach you and your local stop smoking service will contact you. The service is free.':
    'Dywedwch wrthon ni sut i gysylltu â chi a bydd eich gwasanaeth rhoi’r gorau i smygu lleol yn cysylltu â chi. Mae’r gwasanaeth am ddim.',
  'It takes about 3 minutes. You can skip the questions that say "optional".':
    'Mae’n cymryd tua 3 munud. Gallwch chi hepgor y cwestiynau sy’n dweud "dewisol".',
  'Not sure which service is yours? {link}.': 'Ddim yn siŵr pa wasanaeth sydd ar eich cyfer chi? {link}.',
  'Find stop smoking support near you': 'Dewch o hyd i gymorth i roi’r gorau i smygu yn agos atoch chi',
  'Smoking can make anxiety worse, and stopping often helps. Read about {link}.':
    'Gall smygu wneud gorbryder yn waeth, ac mae rhoi’r gorau iddi yn aml yn helpu. Darllenwch am {link}.',
  // Follows "Darllenwch am", which softens it (rhoi → roi).
  'stopping smoking and your mental health': 'roi’r gorau i smygu a’ch iechyd meddwl',
  'About you': 'Amdanoch chi',
  'First name': 'Enw cyntaf',
  'Last name': 'Cyfenw',
  'Date of birth': 'Dyddiad geni',
  'For example, 15 3 1984': 'Er enghraifft, 15 3 1984',
  Day: 'Diwrnod',
  Month: 'Mis',
  Year: 'Blwyddyn',
  'Where you live. This tells us which local service to send your request to.':
    'Lle rydych chi’n byw. Mae hyn yn dweud wrthon ni i ba wasanaeth lleol i anfon eich cais.',
  'How to contact you': 'Sut i gysylltu â chi',
  'Phone number (you can leave this out if you give an email address)':
    'Rhif ffôn (gallwch chi adael hwn allan os ydych chi’n rhoi cyfeiriad e-bost)',
  'A mobile number if you would like text messages': 'Rhif ffôn symudol os hoffech chi gael negeseuon testun',
  'Email address (you can leave this out if you give a phone number)':
    'Cyfeiriad e-bost (gallwch chi adael hwn allan os ydych chi’n rhoi rhif ffôn)',
  'How would you like the service to contact you?': 'Sut hoffech chi i’r gwasanaeth gysylltu â chi?',
  'Select all that are OK.': 'Dewiswch bob un sy’n iawn.',
  'Phone call': 'Galwad ffôn',
  'Text message': 'Neges destun',
  Email: 'E-bost',
  'When is best to contact you?': 'Pryd mae’n well cysylltu â chi?',
  'Any time': 'Unrhyw bryd',
  Mornings: 'Yn y bore',
  Afternoons: 'Yn y prynhawn',
  Evenings: 'Gyda’r nos',
  'The help you would like': 'Yr help yr hoffech chi ei gael',
  'What would you like help with?': 'Gyda beth hoffech chi gael help?',
  'You can change your mind later.': 'Gallwch chi newid eich meddwl yn nes ymlaen.',
  'Stopping smoking': 'Rhoi’r gorau i smygu',
  'Switching from smoking to vaping': 'Newid o smygu i fepio',
  'Cutting down first': 'Smygu llai i ddechrau',
  'Your mental health (optional)': 'Eich iechyd meddwl (dewisol)',
  'We ask so the service can offer support that fits you. You do not have to answer.':
    'Rydyn ni’n gofyn er mwyn i’r gwasanaeth allu cynnig cymorth sy’n addas i chi. Does dim rhaid i chi ateb.',
  'Do you have anxiety or depression? (optional)': 'Oes gennych chi orbryder neu iselder? (dewisol)',
  // Answers to "Oes gennych chi…?"
  'Yes, anxiety': 'Oes, gorbryder',
  'Yes, depression': 'Oes, iselder',
  'Yes, both': 'Oes, y ddau',
  'I would rather not say': 'Byddai’n well gen i beidio â dweud',
  'Are you getting help from NHS Talking Therapies? (optional)':
    'Ydych chi’n cael help gan therapi siarad y GIG? (dewisol)',
  // Answers to "Ydych chi…?" (translate.ts answerTo)
  'Are you getting help from NHS Talking Therapies? (optional)|Yes': 'Ydw',
  'Are you getting help from NHS Talking Therapies? (optional)|No': 'Nac ydw',
  'If you are, you can keep seeing your therapist while you stop smoking.':
    'Os ydych chi, gallwch chi ddal i weld eich therapydd tra byddwch chi’n rhoi’r gorau i smygu.',
  'Is there anything else the service should know? (optional)':
    'Oes unrhyw beth arall y dylai’r gwasanaeth ei wybod? (dewisol)',
  'For example, if you need an interpreter, or if you take medicine for your mental health.':
    'Er enghraifft, os oes angen cyfieithydd arnoch chi, neu os ydych chi’n cymryd meddyginiaeth ar gyfer eich iechyd meddwl.',
  'Campaign code (if you have one)': 'Cod ymgyrch (os oes gennych chi un)',
  'For example, from a poster, a leaflet or an advert. You can leave this blank.':
    'Er enghraifft, o boster, taflen neu hysbyseb. Gallwch chi adael hwn yn wag.',
  'Leave this blank': 'Gadewch hwn yn wag',
  'Agreeing to be contacted': 'Cytuno i rywun gysylltu â chi',
  'If you send this form:': 'Os byddwch chi’n anfon y ffurflen hon:',
  // The consent's points (self-referral.schemas.ts CONTACT_CONSENT): the same consent, in Welsh.
  'the stop smoking service for where you live can contact you about stopping smoking':
    'gall y gwasanaeth rhoi’r gorau i smygu ar gyfer lle rydych chi’n byw gysylltu â chi am roi’r gorau i smygu',
  'the service will keep your details so they can support you':
    'bydd y gwasanaeth yn cadw eich manylion er mwyn gallu eich cefnogi chi',
  'we will not give your details to anyone else': 'fyddwn ni ddim yn rhoi eich manylion i neb arall',
  'We will send you a text message or an email with your reference number.':
    'Byddwn ni’n anfon neges destun neu e-bost atoch chi gyda’ch cyfeirnod.',
  'Read our {link}.': 'Darllenwch ein {link}.',
  'privacy notice': 'hysbysiad preifatrwydd',
  'Do you agree?': 'Ydych chi’n cytuno?',
  'I agree': 'Rydw i’n cytuno',
  Send: 'Anfon',

  // When a request cannot be sent
  'Contact this service yourself': 'Cysylltwch â’r gwasanaeth hwn eich hun',
  'Your request has not been sent, and nothing you typed has been kept. This free NHS service can help you stop:':
    'Nid yw eich cais wedi cael ei anfon, a does dim byd a deipioch chi wedi cael ei gadw. Gall y gwasanaeth GIG hwn, sydd am ddim, eich helpu chi i roi’r gorau iddi:',
  'If you typed your postcode wrong, change it below and send the form again.':
    'Os gwnaethoch chi deipio eich cod post yn anghywir, newidiwch ef isod ac anfonwch y ffurflen eto.',
  'You can still get free help to stop smoking': 'Gallwch chi gael help am ddim i roi’r gorau i smygu o hyd',
  'Your GP or a pharmacist can tell you about free support where you live.':
    'Gall eich meddyg teulu neu fferyllydd ddweud wrthoch chi am gymorth am ddim lle rydych chi’n byw.',
  'Call the National Smokefree Helpline free on {link}. They can talk to you about stopping, and tell you about support near you.':
    'Ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar {link}. Gallan nhw siarad â chi am roi’r gorau iddi, a dweud wrthoch chi am gymorth yn agos atoch chi.',

  // The confirmation page
  'Your request has been sent': 'Mae eich cais wedi cael ei anfon',
  'Your reference number': 'Eich cyfeirnod',
  'Keep your reference number.': 'Cadwch eich cyfeirnod.',
  'We have also sent it to you by text message and email.':
    'Rydyn ni hefyd wedi ei anfon atoch chi mewn neges destun ac e-bost.',
  'We have also sent it to you by email.': 'Rydyn ni hefyd wedi ei anfon atoch chi mewn e-bost.',
  'We have also sent it to you by text message.': 'Rydyn ni hefyd wedi ei anfon atoch chi mewn neges destun.',
  'What happens next': 'Beth sy’n digwydd nesaf',
  'Your local stop smoking service': 'Eich gwasanaeth rhoi’r gorau i smygu lleol',
  // {when} is self-referral.service.ts contactPromise: "o fewn 3 diwrnod gwaith, drwy neges destun, gyda’r nos".
  '{service} will contact you {when}.': 'Bydd {service} yn cysylltu â chi {when}.',
  'within 1 working day': 'o fewn 1 diwrnod gwaith',
  'within {days} working days': 'o fewn {days} diwrnod gwaith',
  'by phone': 'dros y ffôn',
  'by text message': 'drwy neges destun',
  'by email': 'drwy e-bost',
  or: 'neu',
  'in the morning': 'yn y bore',
  'in the afternoon': 'yn y prynhawn',
  'in the evening': 'gyda’r nos',
  'Working days are Monday to Friday, not bank holidays.':
    'Diwrnodau gwaith yw dydd Llun i ddydd Gwener, ond nid gwyliau banc.',
  'They will ask how you feel about stopping and what help you would like. Then you can choose together what to do. The help is free.':
    'Byddan nhw’n gofyn sut rydych chi’n teimlo am roi’r gorau iddi a pha help yr hoffech chi ei gael. Yna gallwch chi ddewis gyda’ch gilydd beth i’w wneud. Mae’r help am ddim.',
  'If nobody contacts you': 'Os nad oes neb yn cysylltu â chi',
  'If nobody has been in touch after {days} working days, call {service} on {phone} and give them your reference number. Or call the National Smokefree Helpline free on {helpline}.':
    'Os nad oes neb wedi cysylltu ar ôl {days} diwrnod gwaith, ffoniwch {service} ar {phone} a rhowch eich cyfeirnod iddyn nhw. Neu ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar {helpline}.',
  'If nobody has been in touch after {days} working days, call the National Smokefree Helpline free on {helpline}.':
    'Os nad oes neb wedi cysylltu ar ôl {days} diwrnod gwaith, ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar {helpline}.',
  'You can also {link}.': 'Gallwch chi hefyd {link}.',
  // Follows "Gallwch chi hefyd", which softens it (dod → ddod).
  'find stop smoking support near you': 'ddod o hyd i gymorth i roi’r gorau i smygu yn agos atoch chi',
  'While you wait': 'Tra byddwch chi’n aros',
  'Read about {link}.': 'Darllenwch am {link}.',
};
