// Words the medicine-name recogniser knows apart from the list of medicines affected by stopping smoking.
//
// OTHER_MEDICINES are medicines that are not on the list. Knowing them does two things: a near spelling is
// matched to a listed medicine only when it is closer to it than to any of these (so "fluoxetine" never
// becomes fluvoxamine or duloxetine), and an adviser who types "Sertraline 50mg" is told it is sertraline
// and not on the list, instead of being asked to confirm an unknown name. It leans on medicines for mental
// health, whose names sit closest to the listed ones, and on what GPs prescribe most. An entry an
// administrator adds to the list takes precedence over the same name here.

export type OtherMedicine = { name: string; brands?: readonly string[] };

export const OTHER_MEDICINES: readonly OtherMedicine[] = [
  // Antidepressants
  { name: 'sertraline', brands: ['Lustral'] },
  { name: 'citalopram', brands: ['Cipramil'] },
  { name: 'escitalopram', brands: ['Cipralex'] },
  { name: 'fluoxetine', brands: ['Prozac', 'Prozep', 'Olena'] },
  { name: 'paroxetine', brands: ['Seroxat'] },
  { name: 'venlafaxine', brands: ['Efexor', 'Vensir', 'Venlalic', 'Venladex', 'Venaxx'] },
  { name: 'desvenlafaxine' },
  { name: 'mirtazapine', brands: ['Zispin'] },
  { name: 'trazodone', brands: ['Molipaxin'] },
  { name: 'vortioxetine', brands: ['Brintellix'] },
  { name: 'reboxetine', brands: ['Edronax'] },
  { name: 'moclobemide', brands: ['Manerix'] },
  { name: 'phenelzine', brands: ['Nardil'] },
  { name: 'tranylcypromine' },
  { name: 'isocarboxazid' },
  { name: 'dosulepin', brands: ['Prothiaden'] },
  { name: 'dothiepin' },
  { name: 'lofepramine' },
  { name: 'doxepin' },
  { name: 'trimipramine', brands: ['Surmontil'] },
  { name: 'desipramine' },
  { name: 'protriptyline' },
  { name: 'mianserin' },
  { name: 'esketamine', brands: ['Spravato'] },
  { name: 'bupropion', brands: ['Zyban', 'Wellbutrin'] },
  // Antipsychotics
  { name: 'quetiapine', brands: ['Seroquel', 'Biquelle', 'Atrolak', 'Zaluron', 'Sondate'] },
  { name: 'aripiprazole', brands: ['Abilify', 'Abilify Maintena', 'Arpoya'] },
  { name: 'risperidone', brands: ['Risperdal', 'Risperdal Consta', 'Okedi', 'Rykindo'] },
  { name: 'paliperidone', brands: ['Invega', 'Xeplion', 'Trevicta', 'Byannli'] },
  { name: 'amisulpride', brands: ['Solian'] },
  { name: 'sulpiride', brands: ['Dolmatil', 'Sulpor'] },
  { name: 'lurasidone', brands: ['Latuda'] },
  { name: 'cariprazine', brands: ['Reagila'] },
  { name: 'brexpiprazole', brands: ['Rxulti'] },
  { name: 'asenapine', brands: ['Sycrest'] },
  { name: 'ziprasidone' },
  { name: 'pimozide', brands: ['Orap'] },
  { name: 'promazine' },
  { name: 'levomepromazine', brands: ['Nozinan'] },
  { name: 'trifluoperazine' },
  { name: 'perphenazine' },
  { name: 'pericyazine' },
  { name: 'prochlorperazine', brands: ['Stemetil', 'Buccastem'] },
  { name: 'droperidol' },
  { name: 'loxapine', brands: ['Adasuve'] },
  { name: 'sertindole' },
  // Mood stabilisers and anticonvulsants
  { name: 'lithium', brands: ['Priadel', 'Camcolit', 'Liskonum'] },
  { name: 'valproate', brands: ['Epilim', 'Depakote', 'Convulex', 'Episenta', 'Epival', 'Dyzantil'] },
  { name: 'valproic' },
  { name: 'lamotrigine', brands: ['Lamictal'] },
  { name: 'carbamazepine', brands: ['Tegretol', 'Carbagen'] },
  { name: 'oxcarbazepine', brands: ['Trileptal'] },
  { name: 'levetiracetam', brands: ['Keppra'] },
  { name: 'topiramate', brands: ['Topamax'] },
  { name: 'phenytoin', brands: ['Epanutin'] },
  { name: 'gabapentin', brands: ['Neurontin'] },
  { name: 'pregabalin', brands: ['Lyrica', 'Alzain', 'Axalid', 'Lecaent'] },
  // Anxiety and sleep
  { name: 'diazepam', brands: ['Valium', 'Diazemuls'] },
  { name: 'lorazepam', brands: ['Ativan'] },
  { name: 'alprazolam', brands: ['Xanax'] },
  { name: 'clonazepam', brands: ['Rivotril'] },
  { name: 'clobazam', brands: ['Frisium'] },
  { name: 'chlordiazepoxide', brands: ['Librium'] },
  { name: 'oxazepam' },
  { name: 'temazepam' },
  { name: 'nitrazepam', brands: ['Mogadon'] },
  { name: 'zopiclone', brands: ['Zimovane'] },
  { name: 'zolpidem', brands: ['Stilnoct'] },
  { name: 'buspirone' },
  { name: 'hydroxyzine', brands: ['Atarax', 'Ucerax'] },
  { name: 'promethazine', brands: ['Phenergan', 'Sominex'] },
  { name: 'propranolol', brands: ['Inderal', 'Bedranol'] },
  // ADHD and dementia
  {
    name: 'methylphenidate',
    brands: ['Ritalin', 'Concerta', 'Medikinet', 'Equasym', 'Xaggitin', 'Delmosart'],
  },
  { name: 'atomoxetine', brands: ['Strattera'] },
  { name: 'lisdexamfetamine', brands: ['Elvanse'] },
  { name: 'dexamfetamine', brands: ['Amfexa'] },
  { name: 'guanfacine', brands: ['Intuniv'] },
  { name: 'donepezil', brands: ['Aricept'] },
  { name: 'memantine', brands: ['Ebixa'] },
  { name: 'rivastigmine', brands: ['Exelon'] },
  { name: 'galantamine' },
  // Stopping smoking, alcohol and opioids
  { name: 'nicotine', brands: ['Nicorette', 'NiQuitin', 'Nicotinell'] },
  { name: 'varenicline', brands: ['Champix'] },
  { name: 'cytisine', brands: ['Cytisinicline'] },
  { name: 'methadone', brands: ['Methadose', 'Physeptone'] },
  { name: 'buprenorphine', brands: ['Subutex', 'Espranor', 'Buvidal', 'Suboxone'] },
  { name: 'naltrexone' },
  { name: 'acamprosate', brands: ['Campral'] },
  { name: 'disulfiram', brands: ['Antabuse'] },
  // Others on the SPS page about smoking, with no routine action expected in most people
  { name: 'cilostazol' },
  { name: 'cinacalcet', brands: ['Mimpara'] },
  { name: 'clopidogrel', brands: ['Plavix'] },
  { name: 'dalteparin', brands: ['Fragmin'] },
  { name: 'heparin' },
  { name: 'flecainide', brands: ['Tambocor'] },
  { name: 'irinotecan' },
  { name: 'mexiletine' },
  { name: 'pentazocine' },
  { name: 'pirfenidone', brands: ['Esbriet'] },
  { name: 'pomalidomide', brands: ['Imnovid'] },
  { name: 'rasagiline', brands: ['Azilect'] },
  { name: 'riluzole', brands: ['Rilutek'] },
  { name: 'tizanidine', brands: ['Zanaflex'] },
  // Commonly prescribed
  { name: 'paracetamol', brands: ['Calpol', 'Panadol'] },
  { name: 'cocodamol', brands: ['Solpadol', 'Zapain', 'Kapake'] },
  { name: 'codeine' },
  { name: 'dihydrocodeine' },
  { name: 'tramadol', brands: ['Zydol'] },
  { name: 'morphine', brands: ['Oramorph', 'Zomorph', 'MST'] },
  { name: 'oxycodone', brands: ['OxyContin', 'OxyNorm'] },
  { name: 'ibuprofen', brands: ['Nurofen', 'Brufen'] },
  { name: 'naproxen' },
  { name: 'aspirin' },
  { name: 'sumatriptan', brands: ['Imigran'] },
  { name: 'amlodipine', brands: ['Istin'] },
  { name: 'atorvastatin', brands: ['Lipitor'] },
  { name: 'simvastatin' },
  { name: 'rosuvastatin', brands: ['Crestor'] },
  { name: 'omeprazole', brands: ['Losec'] },
  { name: 'lansoprazole', brands: ['Zoton'] },
  { name: 'esomeprazole', brands: ['Nexium'] },
  { name: 'metformin', brands: ['Glucophage'] },
  { name: 'gliclazide' },
  { name: 'insulin' },
  { name: 'levothyroxine' },
  { name: 'ramipril' },
  { name: 'lisinopril' },
  { name: 'losartan' },
  { name: 'candesartan' },
  { name: 'bisoprolol' },
  { name: 'atenolol' },
  { name: 'doxazosin' },
  { name: 'bendroflumethiazide' },
  { name: 'indapamide' },
  { name: 'furosemide' },
  { name: 'apixaban', brands: ['Eliquis'] },
  { name: 'rivaroxaban', brands: ['Xarelto'] },
  { name: 'edoxaban', brands: ['Lixiana'] },
  { name: 'dabigatran', brands: ['Pradaxa'] },
  { name: 'salbutamol', brands: ['Ventolin', 'Salamol'] },
  { name: 'beclometasone', brands: ['Clenil', 'Qvar', 'Fostair'] },
  { name: 'budesonide', brands: ['Symbicort', 'Pulmicort'] },
  { name: 'fluticasone', brands: ['Seretide', 'Flixotide', 'Relvar'] },
  { name: 'tiotropium', brands: ['Spiriva'] },
  { name: 'montelukast', brands: ['Singulair'] },
  { name: 'prednisolone' },
  { name: 'amoxicillin' },
  { name: 'doxycycline' },
  { name: 'nitrofurantoin' },
  { name: 'trimethoprim' },
  { name: 'cetirizine' },
  { name: 'loratadine' },
  { name: 'fexofenadine' },
  { name: 'folic' },
  { name: 'colecalciferol' },
  { name: 'senna' },
  { name: 'lactulose' },
  { name: 'macrogol', brands: ['Laxido', 'Movicol'] },
  { name: 'mebeverine' },
  { name: 'ondansetron' },
  { name: 'metoclopramide' },
  { name: 'domperidone' },
  { name: 'hyoscine', brands: ['Buscopan', 'Kwells'] },
  { name: 'procyclidine', brands: ['Kemadrin'] },
  { name: 'trihexyphenidyl' },
  { name: 'pramipexole', brands: ['Mirapexin'] },
  { name: 'cocareldopa', brands: ['Sinemet'] },
  { name: 'cobeneldopa', brands: ['Madopar'] },
  { name: 'tamsulosin' },
  { name: 'finasteride' },
  { name: 'sildenafil', brands: ['Viagra'] },
  { name: 'levonorgestrel' },
  { name: 'desogestrel' },
];

// Words around a medicine's name that say how much, in what form, or how often, and the salts a name
// comes with: none of them tells one medicine from another, so the recogniser sets them aside.
const UNITS =
  'mg mcg microgram micrograms milligram milligrams g gram grams ml millilitre millilitres iu unit units mmol percent x';
const FORMS =
  'tablet tablets tab tabs capsule capsules cap caps odt orodispersible dispersible soluble effervescent chewable ' +
  'velotab velotabs oral solution suspension liquid syrup drops sachet sachets granules powder injection injections ' +
  'inj injectable depot lai long acting longacting intramuscular im iv subcutaneous prolonged extended modified ' +
  'sustained controlled release released mr xl sr la cr xr er pr continus retard sa film coated filmcoated gastro ' +
  'resistant ec patch patches gum lozenge lozenges inhalator inhaler spray nasal cream gel pen prefilled syringe ' +
  'vial ampoule concentrate conc acuphase sugar free sugarfree generic brand';
const SALTS =
  'hydrochloride hcl dihydrochloride hydrobromide decanoate pamoate embonate maleate dimaleate acetate mesilate ' +
  'mesylate besilate besylate fumarate hemifumarate citrate tartrate bitartrate succinate sulfate sulphate sodium ' +
  'potassium calcium magnesium phosphate carbonate monohydrate dihydrate trihydrate hemihydrate anhydrous lactate ' +
  'hyclate base';
const DIRECTIONS =
  'dose doses daily day days twice once three times at night nocte mane morning evening bedtime od bd tds qds on ' +
  'nightly weekly fortnightly monthly every week weeks each per as required prn when needed take taken takes ' +
  'taking one two half and or with of the a an for to by in from prescribed dr gp psychiatrist';

/** Set aside wherever they appear. */
export const NOISE_WORDS: ReadonlySet<string> = new Set(
  [UNITS, FORMS, SALTS, DIRECTIONS].flatMap((s) => s.split(' ')),
);

/** Run onto the end of a name ("olanzapineODT", "clozapinetabs"): tried with them taken off. */
export const GLUED_SUFFIXES: readonly string[] = [
  'tablets',
  'tablet',
  'tabs',
  'tab',
  'capsules',
  'caps',
  'injection',
  'depot',
  'liquid',
  'odt',
  'mr',
  'xl',
  'sr',
  'la',
  'cr',
];
