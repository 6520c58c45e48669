// Welsh for the finder (/find-support, its results and a service's page), the contact card of a service
// Mortar does not send requests to, and the national services' own words. Keyed by the English, like
// cy.ts, which joins this in. A service's directory entry (name, description, opening times) is never
// translated: it is shown as the service wrote it.

export const WELSH_FINDER: Readonly<Record<string, string>> = {
  // The search
  'Find help to stop smoking near you': 'Dod o hyd i help i roi’r gorau i smygu yn agos atoch chi',
  '{postcode} is in Northern Ireland.': 'Mae {postcode} yng Ngogledd Iwerddon.',
  'This service covers England, Scotland and Wales.':
    'Mae’r gwasanaeth hwn ar gyfer Lloegr, yr Alban a Chymru.',
  'In Northern Ireland, many pharmacies and GP practices give free help to stop smoking. Ask your pharmacist or GP.':
    'Yng Ngogledd Iwerddon, mae llawer o fferyllfeydd a meddygfeydd yn rhoi help am ddim i roi’r gorau i smygu. Gofynnwch i’ch fferyllydd neu’ch meddyg teulu.',
  '{postcode} is outside England, Scotland and Wales.':
    'Mae {postcode} y tu allan i Loegr, yr Alban a Chymru.',
  'This service covers England, Scotland and Wales only. Ask a GP or pharmacist where you live about free help to stop smoking.':
    'Dim ond ar gyfer Lloegr, yr Alban a Chymru y mae’r gwasanaeth hwn. Gofynnwch i feddyg teulu neu fferyllydd lle rydych chi’n byw am help am ddim i roi’r gorau i smygu.',
  Information: 'Gwybodaeth',
  'Stop smoking services are free. They can give you medicine or a vape, and someone to talk to every week.':
    'Mae gwasanaethau rhoi’r gorau i smygu am ddim. Gallan nhw roi meddyginiaeth neu fêp i chi, a rhywun i siarad â nhw bob wythnos.',
  'Stopping smoking often helps people feel less anxious and less low.':
    'Mae rhoi’r gorau i smygu yn aml yn helpu pobl i deimlo’n llai pryderus ac yn llai isel.',
  'We only use your postcode to find services near you. We do not keep it.':
    'Dim ond i ddod o hyd i wasanaethau yn agos atoch chi rydyn ni’n defnyddio eich cod post. Dydyn ni ddim yn ei gadw.',
  'Worried that stopping smoking will make you feel worse? Read answers to common worries':
    'Yn poeni y bydd rhoi’r gorau i smygu yn gwneud i chi deimlo’n waeth? Darllenwch atebion i bryderon cyffredin',
  'Other ways to get help': 'Ffyrdd eraill o gael help',
  'In England, you can call the National Smokefree Helpline for free on {link}.':
    'Yn Lloegr, gallwch chi ffonio Llinell Gymorth Genedlaethol Smokefree am ddim ar {link}.',
  'In Wales, call Help Me Quit for free on {link}.':
    'Yng Nghymru, ffoniwch Helpa Fi i Stopio am ddim ar {link}.',
  'In Scotland, call Quit Your Way Scotland for free on {link}.':
    'Yn yr Alban, ffoniwch Quit Your Way Scotland am ddim ar {link}.',
  'Enter your postcode': 'Rhowch eich cod post',
  Postcode: 'Cod post',
  'For example, LS1 4AP. You can enter just the first part, like LS1.':
    'Er enghraifft, LS1 4AP. Gallwch chi roi’r rhan gyntaf yn unig, fel LS1.',
  Search: 'Chwilio',
  'Enter a real postcode, like LS1 4AP, or the first part of one, like LS1':
    'Rhowch god post go iawn, fel LS1 4AP, neu ran gyntaf un, fel LS1',
  'We cannot find that postcode. Check it and try again':
    'Allwn ni ddim dod o hyd i’r cod post hwnnw. Gwiriwch ef a rhowch gynnig arall arni',

  // The results
  'Stop smoking services near {postcode}': 'Gwasanaethau rhoi’r gorau i smygu yn agos at {postcode}',
  'Your local service is {service}. It is free for people who live in your area.':
    'Eich gwasanaeth lleol yw {service}. Mae am ddim i bobl sy’n byw yn eich ardal chi.',
  'Your local service is {service}. It is free for people who live in your area. They do not take requests through this website, so contact them yourself:':
    'Eich gwasanaeth lleol yw {service}. Mae am ddim i bobl sy’n byw yn eich ardal chi. Dydyn nhw ddim yn derbyn ceisiadau drwy’r wefan hon, felly cysylltwch â nhw eich hun:',
  "You live in Wales. Wales's free NHS stop smoking service is {service}. Contact them yourself:":
    'Rydych chi’n byw yng Nghymru. Gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru yw {service}. Cysylltwch â nhw eich hun:',
  "You live in Scotland. Scotland's free NHS stop smoking service is {service}. Contact them yourself:":
    'Rydych chi’n byw yn yr Alban. Gwasanaeth rhoi’r gorau i smygu am ddim GIG yr Alban yw {service}. Cysylltwch â nhw eich hun:',
  'You only gave part of your postcode. Search with your full postcode to see which service is yours.':
    'Dim ond rhan o’ch cod post a roesoch chi. Chwiliwch gyda’ch cod post llawn i weld pa wasanaeth sydd ar eich cyfer chi.',
  'Ask for help': 'Gofyn am help',
  'Fill in a short form and {service} will contact you.':
    'Llenwch ffurflen fer a bydd {service} yn cysylltu â chi.',
  'Fill in a short form and your local service will contact you.':
    'Llenwch ffurflen fer a bydd eich gwasanaeth lleol yn cysylltu â chi.',
  'Refer yourself': 'Atgyfeirio eich hun',
  'None of these services is for people who live in your area, but they may still help you. Call them to ask, or call the National Smokefree Helpline for free on {link}.':
    'Nid yw’r un o’r gwasanaethau hyn ar gyfer pobl sy’n byw yn eich ardal chi, ond efallai y gallan nhw eich helpu chi o hyd. Ffoniwch nhw i ofyn, neu ffoniwch Linell Gymorth Genedlaethol Smokefree am ddim ar {link}.',
  'Other services near you': 'Gwasanaethau eraill yn agos atoch chi',
  'These services are near you, but they are not for people who live in Wales. Call them to ask.':
    'Mae’r gwasanaethau hyn yn agos atoch chi, ond dydyn nhw ddim ar gyfer pobl sy’n byw yng Nghymru. Ffoniwch nhw i ofyn.',
  'These services are near you, but they are not for people who live in Scotland. Call them to ask.':
    'Mae’r gwasanaethau hyn yn agos atoch chi, ond dydyn nhw ddim ar gyfer pobl sy’n byw yn yr Alban. Ffoniwch nhw i ofyn.',
  // Welsh keeps the noun singular after a number.
  'We found 1 service.': 'Rydyn ni wedi dod o hyd i 1 gwasanaeth.',
  'We found {count} services.': 'Rydyn ni wedi dod o hyd i {count} gwasanaeth.',
  'The nearest is first. We measure in a straight line from the middle of your postcode area.':
    'Mae’r agosaf yn gyntaf. Rydyn ni’n mesur mewn llinell syth o ganol ardal eich cod post.',
  'The nearest is first. We measure in a straight line from the middle of {postcode}.':
    'Mae’r agosaf yn gyntaf. Rydyn ni’n mesur mewn llinell syth o ganol {postcode}.',
  'Services, nearest first': 'Gwasanaethau, yr agosaf yn gyntaf',
  'Your local service': 'Eich gwasanaeth lleol',
  '{distance} away': '{distance} i ffwrdd',
  'This service does not have a place to visit. They help people by phone or online.':
    'Does gan y gwasanaeth hwn ddim lle i chi fynd iddo. Maen nhw’n helpu pobl dros y ffôn neu ar-lein.',
  'More about {service}': 'Rhagor am {service}',
  'We could not find a stop smoking service near {postcode}.':
    'Allen ni ddim dod o hyd i wasanaeth rhoi’r gorau i smygu yn agos at {postcode}.',
  'You can still get free help. Call the National Smokefree Helpline on {link}.':
    'Gallwch chi gael help am ddim o hyd. Ffoniwch Linell Gymorth Genedlaethol Smokefree ar {link}.',
  'Search again': 'Chwilio eto',

  // A service's page and its facts
  'This service is free.': 'Mae’r gwasanaeth hwn am ddim.',
  'This service does not take requests through this website. Contact them yourself using the details below.':
    'Nid yw’r gwasanaeth hwn yn derbyn ceisiadau drwy’r wefan hon. Cysylltwch â nhw eich hun gan ddefnyddio’r manylion isod.',
  'About this service': 'Am y gwasanaeth hwn',
  'Where you can go': 'Ble gallwch chi fynd',
  'Opening times': 'Amseroedd agor',
  'Times are UK time. They may be different on bank holidays: check with the service before you go.':
    'Amser y DU yw’r amseroedd. Gallant fod yn wahanol ar wyliau banc: holwch y gwasanaeth cyn i chi fynd.',
  '{distance} from {postcode}': '{distance} o {postcode}',
  'Getting in:': 'Mynd i mewn:',
  'Who can use it': 'Pwy all ei ddefnyddio',
  // "yn" before a place name mutates it (yng Nghaerdydd); the areas are names as entered, so they follow a colon.
  'It is for people who live in {areas}.': 'Mae ar gyfer pobl sy’n byw yn yr ardaloedd hyn: {areas}.',
  'This page was last updated on {date}.': 'Cafodd y dudalen hon ei diweddaru ddiwethaf ar {date}.',
  'Search for another service': 'Chwilio am wasanaeth arall',
  'How to get in touch': 'Sut i gysylltu',
  'Phone:': 'Ffôn:',
  'Email:': 'E-bost:',
  'Website:': 'Gwefan:',
  Website: 'Gwefan',
  'for {service}': 'ar gyfer {service}',
  'When it is open': 'Pryd mae ar agor',
  'Ways to get support': 'Ffyrdd o gael cymorth',
  Languages: 'Ieithoedd',
  'Help with anxiety or depression': 'Help gyda gorbryder neu iselder',
  'Yes, they give extra help if you have anxiety or depression.':
    'Ydyn, maen nhw’n rhoi help ychwanegol os oes gennych chi orbryder neu iselder.',
  'Ask the service what help they can give.': 'Gofynnwch i’r gwasanaeth pa help gallan nhw ei roi.',
  'They work with NHS Talking Therapies.': 'Maen nhw’n gweithio gyda therapi siarad y GIG.',
  'Free vape kit': 'Pecyn fêp am ddim',
  // Answers "is there a free vape kit?": "Oes" / "Nac oes".
  'Yes, you can get a free vape starter kit (Swap to Stop).':
    'Oes, gallwch chi gael pecyn cychwyn fêp am ddim (Swap to Stop).',
  No: 'Nac oes',
  'Medicines and vapes': 'Meddyginiaethau a fêps',
  'Face to face': 'Wyneb yn wyneb',
  'Phone calls': 'Galwadau ffôn',
  'Video calls': 'Galwadau fideo',
  'Text messages': 'Negeseuon testun',
  'Group sessions': 'Sesiynau grŵp',
  'Nicotine patches together with gum, spray or lozenges':
    'Patshys nicotin gyda gwm, chwistrell neu losin nicotin',
  'Nicotine patches, gum, spray or lozenges': 'Patshys nicotin, gwm, chwistrell neu losin nicotin',
  'Varenicline tablets': 'Tabledi varenicline',
  'Cytisine tablets': 'Tabledi cytisine',
  'Bupropion tablets': 'Tabledi bupropion',
  'Help to switch to vaping': 'Help i newid i fepio',

  // The contact card, and the national services as they name themselves in Welsh
  'Open:': 'Ar agor:',
  'We do not have their phone number. The {helpline} can put you in touch: call free on {link}.':
    'Nid oes gennym ni eu rhif ffôn. Mae {helpline} yn gallu eich rhoi chi mewn cysylltiad â nhw: ffoniwch am ddim ar {link}.',
  // Help Me Quit's own Welsh name and site (NHS Wales health boards' Welsh pages: "Helpa Fi i Stopio, ar
  // 0800 085 2219 neu www.helpafiistopio.cymru").
  'Help Me Quit': 'Helpa Fi i Stopio',
  'https://www.helpmequit.wales': 'https://www.helpafiistopio.cymru',
  'www.helpmequit.wales': 'www.helpafiistopio.cymru',
  'Text HMQ to 80818': 'Tecstiwch HMQ i 80818',
  "Wales's free NHS stop smoking service": 'gwasanaeth rhoi’r gorau i smygu am ddim GIG Cymru',
  "Scotland's free NHS stop smoking service": 'gwasanaeth rhoi’r gorau i smygu am ddim GIG yr Alban',
  'National Smokefree Helpline': 'Llinell Gymorth Genedlaethol Smokefree',
};
