/**
 * The layers Mortar holds to, checked by `npm run lint` (dependency-cruiser). See docs/architecture.md.
 * - no cycles: a cycle makes start-up order matter and stops a module being read or tested alone;
 * - routes speak HTTP and call services: SQL and transactions belong to repositories and services;
 * - pure rules (files without a role suffix) decide what a person is told or how a number is counted,
 *   so they must not reach a database or a web framework, where they could not be tested alone;
 * - a module's repository is private to it: another module asks through its service.
 */

// The layers, lowest first. A module may import the layers before it, never those after, so the modules
// form no cycle however they grow. Tests may reach across (fixtures, demonstration data).
const LAYERS = [
  ['platform', '^src/(platform|db)/|^src/config[.]ts$'],
  ['organisations', '^src/modules/organisations/'],
  ['referrals', '^src/modules/referrals/'],
  ['episodes', '^src/modules/episodes/'],
  ['letters', '^src/modules/letters/'],
  ['mood', '^src/modules/mood/'],
  ['medicines', '^src/modules/medicines/'],
  ['clinician-notes', '^src/modules/clinician-notes/'],
  ['messages', '^src/modules/messages/'],
  ['treatment', '^src/modules/treatment/'],
  ['returns', '^src/modules/returns/'],
  ['national-data', '^src/modules/national-data/'],
  ['strategy', '^src/modules/strategy/'],
  ['partners', '^src/modules/partners/'],
  ['campaigns', '^src/modules/campaigns/'],
  ['toolkit', '^src/modules/toolkit/'],
  ['directory', '^src/modules/directory/'],
  ['dashboards', '^src/modules/dashboards/'],
  ['audit', '^src/modules/audit/'],
  ['self-referral', '^src/modules/self-referral/'],
  ['vba-training', '^src/modules/vba-training/'],
  ['fhir', '^src/modules/fhir/'],
  ['demo', '^src/demo/'],
  ['app', '^src/(app|main|routes)[.]ts$'],
];
const TESTS = '[.]test[.]ts$|[.]fixtures[.]ts$';
const layerRules = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment: `${name} may import only the layers before it (.dependency-cruiser.cjs LAYERS)`,
  from: { path, pathNot: TESTS },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles: move the shared piece down (general helpers live in src/platform).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'routes-no-kysely',
      severity: 'error',
      comment: 'Routes must not build SQL: put the query in the module repository or service.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '(^|/)node_modules/kysely/' },
    },
    {
      name: 'pure-rules-stay-pure',
      severity: 'error',
      comment: 'Pure rule files must not import Kysely, Fastify or the database layer.',
      from: { path: '^src/modules/.+/[a-z0-9-]+[.]ts$' },
      to: { path: ['(^|/)node_modules/(kysely|fastify|@fastify|pg|@electric-sql)/', '^src/db/'] },
    },
    {
      name: 'no-other-module-repository',
      severity: 'error',
      comment: "A module's repository is private to it: ask its service instead.",
      from: { path: '^src/modules/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/modules/[^/]+/.+\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.cache|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
