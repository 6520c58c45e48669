// Welsh for every message the self-referral form can show, in its error summary and beside a field: the
// schema's (self-referral.schemas.ts and the shared fields it uses), the campaign code's, the limit on
// sending, and why a request cannot be sent (referrals/where-to-send.ts, for the person). Keyed by the
// English, like cy.ts, which joins this in. self-referral.messages.test.ts drives the schema with bad
// input and fails when a message it produces has no Welsh here.

export const WELSH_SELF_REFERRAL_ERRORS: Readonly<Record<string, string>> = {
  Error: 'Gwall',

  // The schema
  'Enter your first name': 'Rhowch eich enw cyntaf',
  'Enter your last name': 'Rhowch eich cyfenw',
  'Your first name must be 100 characters or fewer': 'Rhaid i’ch enw cyntaf fod yn 100 nod neu lai',
  'Your last name must be 100 characters or fewer': 'Rhaid i’ch cyfenw fod yn 100 nod neu lai',
  'Your first name must only include letters, spaces, hyphens and apostrophes':
    'Rhaid i’ch enw cyntaf gynnwys llythrennau, bylchau, cysylltnodau a chollnodau yn unig',
  'Your last name must only include letters, spaces, hyphens and apostrophes':
    'Rhaid i’ch cyfenw gynnwys llythrennau, bylchau, cysylltnodau a chollnodau yn unig',
  'Enter your date of birth': 'Rhowch eich dyddiad geni',
  'Date of birth must be a real date': 'Rhaid i’r dyddiad geni fod yn ddyddiad go iawn',
  'Date of birth must be in the past': 'Rhaid i’r dyddiad geni fod yn y gorffennol',
  'Check your date of birth: you must be between 12 and 120 years old':
    'Gwiriwch eich dyddiad geni: rhaid i chi fod rhwng 12 a 120 oed',
  'Enter a real postcode, like LS1 4AP': 'Rhowch god post go iawn, fel LS1 4AP',
  'Enter a UK phone number, like 07700 900 982 or 0113 496 0000':
    'Rhowch rif ffôn yn y Deyrnas Unedig, fel 07700 900 982 neu 0113 496 0000',
  'Your phone number must be 20 characters or fewer': 'Rhaid i’ch rhif ffôn fod yn 20 nod neu lai',
  'Enter an email address in the correct format, like name@example.com':
    'Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com',
  'Your email address must be 254 characters or fewer': 'Rhaid i’ch cyfeiriad e-bost fod yn 254 nod neu lai',
  'Select how you would like the service to contact you':
    'Dewiswch sut hoffech chi i’r gwasanaeth gysylltu â chi',
  'Select when is best to contact you': 'Dewiswch pryd mae’n well cysylltu â chi',
  'Select what you would like help with': 'Dewiswch gyda beth hoffech chi gael help',
  'Select whether you have anxiety or depression, or leave it blank':
    'Dewiswch a oes gennych chi orbryder neu iselder, neu gadewch hyn yn wag',
  'Select whether you are getting help from NHS Talking Therapies, or leave it blank':
    'Dewiswch a ydych chi’n cael help gan therapi siarad y GIG, neu gadewch hyn yn wag',
  'Anything else must be 1000 characters or fewer': 'Rhaid i unrhyw beth arall fod yn 1000 nod neu lai',
  'Select "I agree" so that the service can contact you':
    'Dewiswch "Rydw i’n cytuno" er mwyn i’r gwasanaeth allu cysylltu â chi',
  'Enter a phone number or an email address so the service can contact you':
    'Rhowch rif ffôn neu gyfeiriad e-bost er mwyn i’r gwasanaeth allu cysylltu â chi',
  'Enter your phone number, or choose a way to be contacted that does not need one':
    'Rhowch eich rhif ffôn, neu dewiswch ffordd o gysylltu nad oes angen un arni',
  'Enter a mobile number to get text messages, like 07700 900 982, or choose another way to be contacted':
    'Rhowch rif ffôn symudol i gael negeseuon testun, fel 07700 900 982, neu dewiswch ffordd arall o gysylltu',
  'Enter your mobile number, or choose a way to be contacted that does not need one':
    'Rhowch eich rhif ffôn symudol, neu dewiswch ffordd o gysylltu nad oes angen un arni',
  'Enter your email address, or choose a way to be contacted that does not need one':
    'Rhowch eich cyfeiriad e-bost, neu dewiswch ffordd o gysylltu nad oes angen un arni',

  // The campaign code
  'A campaign code only has letters, numbers and hyphens. Check it, or leave it blank':
    'Dim ond llythrennau, rhifau a chysylltnodau sydd mewn cod ymgyrch. Gwiriwch ef, neu gadewch hyn yn wag',
  'The campaign code must be 40 characters or fewer': 'Rhaid i’r cod ymgyrch fod yn 40 nod neu lai',
  'We do not recognise this campaign code. Check it and enter it again, or leave it blank':
    'Dydyn ni ddim yn adnabod y cod ymgyrch hwn. Gwiriwch ef a’i roi eto, neu gadewch hyn yn wag',

  // Sending too often
  'You have sent this form several times in the last {minutes} minutes. Wait {minutes} minutes and send it again, or call the National Smokefree Helpline on 0300 123 1044':
    'Rydych chi wedi anfon y ffurflen hon sawl gwaith yn y {minutes} munud diwethaf. Arhoswch {minutes} munud ac anfonwch hi eto, neu ffoniwch Linell Gymorth Genedlaethol Smokefree ar 0300 123 1044',

  // Why a request cannot be sent (where-to-send.ts, for the person), a sentence at a time
  'We cannot find this postcode. Check it and enter it again':
    'Allwn ni ddim dod o hyd i’r cod post hwn. Gwiriwch ef a’i roi eto',
  'This postcode is in Northern Ireland. We can only send requests to services in England, Scotland and Wales':
    'Mae’r cod post hwn yng Ngogledd Iwerddon. Dim ond i wasanaethau yn Lloegr, yr Alban a Chymru y gallwn ni anfon ceisiadau',
  'This postcode is not in England, Scotland or Wales. We cannot send requests there':
    'Nid yw’r cod post hwn yn Lloegr, yr Alban na Chymru. Allwn ni ddim anfon ceisiadau yno',
  'We cannot send requests to a stop smoking service for this postcode yet':
    'Allwn ni ddim anfon ceisiadau at wasanaeth rhoi’r gorau i smygu ar gyfer y cod post hwn eto',
  'Your postcode is in Wales.': 'Mae eich cod post yng Nghymru.',
  'Your postcode is in Scotland.': 'Mae eich cod post yn yr Alban.',
  'We cannot send requests to {service}, {summary}.':
    'Allwn ni ddim anfon ceisiadau at {service}, {summary}.',
  'We cannot send requests to {service}.': 'Allwn ni ddim anfon ceisiadau at {service}.',
  'You can call {phone} or visit {website}': 'Gallwch chi ffonio {phone} neu fynd i {website}',
  'You can call {phone}': 'Gallwch chi ffonio {phone}',
  'You can visit {website}': 'Gallwch chi fynd i {website}',
  'You can call {helpline} on {phone}': 'Gallwch chi ffonio {helpline} ar {phone}',
};
