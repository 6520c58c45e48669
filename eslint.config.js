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
    // An error is recognised by its class (instanceof), never by its words: words change, and a test of
    // them breaks silently. Tests may still read what a person is told.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
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
      ],
    },
  },
);
