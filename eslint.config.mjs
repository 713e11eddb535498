// ESLint (flat config) with typescript-eslint's recommended rules: `npm run lint`, part of `npm test`
// and so of CI. Unused names are the compiler's job (noUnusedLocals/noUnusedParameters in tsconfig.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/work/', 'test/fixtures/syntax-error/', 'wip/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': 'off',
      // The SQL and text scanners match control characters on purpose (NUL, C0 controls).
      'no-control-regex': 'off',
    },
  },
  {
    // The bin script, build scripts and bench helpers are plain CommonJS.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
