import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// An error is recognised by its class (instanceof), never by its words: words change, and a test of
// them breaks silently. Tests may still read what a person is told.
const ERROR_WORDS = [
  {
    selector:
      "BinaryExpression[operator=/^[!=]==?$/]:matches([left.property.name=/^(title|message)$/][right.type='Literal'], [left.property.name=/^(title|message)$/][right.type='Identifier'], [right.property.name=/^(title|message)$/][left.type='Literal'], [right.property.name=/^(title|message)$/][left.type='Identifier'])",
    message: 'Recognise an error by its class (instanceof), not by comparing its title or message.',
  },
  {
    selector:
      'CallExpression[callee.property.name=/^(startsWith|endsWith|includes|match)$/][callee.object.property.name=/^(title|message)$/]',
    message: 'Recognise an error by its class (instanceof), not by the words of its title or message.',
  },
];

// Routes speak HTTP: SQL and transactions belong in the module's repository (queries) or service (a
// transaction that joins repository calls and the audit row). dependency-cruiser stops routes importing
// Kysely; this stops them building queries on the handle they are given.
const ROUTES_BUILD_NO_SQL = {
  selector:
    'CallExpression > MemberExpression.callee[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|transaction)$/]',
  message: 'Routes build no SQL: put the query in the module repository, and a transaction in its service.',
};

// Small enough to hold one idea (issue 11). Blank lines and comments do not count. A function that
// truly reads best as one piece says why at its head:
//   // eslint-disable-next-line max-lines-per-function -- <why it is one piece>
const SIZE = {
  'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
  'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
};
// A routes file registers one page group; its functions stay shorter still, so that a page's work is
// named (a handler function, or the module's service) rather than written inline.
const ROUTE_SIZE = {
  'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', '.cache/**', 'public/vendor/**', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...ERROR_WORDS] },
  },
  {
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    // Tests read as a list of cases; migrations never change once merged (each is one batch of DDL).
    ignores: ['**/*.test.ts', 'src/db/migrations/**'],
    rules: SIZE,
  },
  {
    files: ['src/**/*.routes.ts'],
    rules: ROUTE_SIZE,
  },
  {
    // A later block replaces a rule's options, so routes carry both lists.
    files: ['src/**/*.routes.ts'],
    rules: { 'no-restricted-syntax': ['error', ...ERROR_WORDS, ROUTES_BUILD_NO_SQL] },
  },
);
