import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Routes speak HTTP: SQL and transactions belong in the module's repository (queries) or service
    // (a transaction that joins repository calls and the audit row). dependency-cruiser stops routes
    // importing Kysely; this stops them building queries on the handle they are given.
    files: ['src/**/*.routes.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression > MemberExpression.callee[property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|transaction)$/]',
          message:
            'Routes build no SQL: put the query in the module repository, and a transaction in its service.',
        },
      ],
    },
  },
);
