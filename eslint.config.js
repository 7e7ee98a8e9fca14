// Flat config: typescript-eslint's recommended rules over every TypeScript file.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.xmargin-data/**', 'circuits/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The dashboard runs in the browser: browser globals, not Node's (web/vite.config.ts runs in
    // Node and keeps the default block above).
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'browser code: no Node globals' },
        { name: 'Buffer', message: 'browser code: no Node globals' },
      ],
    },
  },
  {
    // The pure core never logs, reads the clock or draws random numbers (see docs/adr/0001).
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core takes valuation time as an argument' },
        { object: 'Math', property: 'random', message: 'core takes a seeded generator as an argument' },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core reads no environment' }],
    },
  },
);
