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
    // A later block replaces a rule's options, so routes carry both lists.
    files: ['src/**/*.routes.ts'],
    rules: { 'no-restricted-syntax': ['error', ...ERROR_WORDS, ROUTES_BUILD_NO_SQL] },
  },
);
