// @ts-check
/**
 * ESLint, flat config. typescript-eslint's type-checked rules (floating promises, misused
 * promises, unsafe any…), eslint-plugin-no-unsanitized (no HTML sinks: the page is hostile), and
 * the import boundaries of docs/architecture in the README's Layout:
 * - `utils/` never imports `entrypoints/` or `components/`;
 * - nothing the background reaches imports Preact: UI hooks live in `utils/ui/`, which only
 *   pages import, and no other module under `utils/` may import `preact` or `utils/ui/`;
 * - the picker (the script injected into pages) imports nothing but types from outside
 *   `utils/picker/`: it must stay small and free of zod, Preact and the database.
 * Formatting is Prettier's (`.prettierrc.json`); eslint-config-prettier turns off every rule
 * that would disagree with it. Unused exports and files are knip's (`knip.json`).
 */
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import nounsanitized from 'eslint-plugin-no-unsanitized';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiImports = (message) => ({
  patterns: [
    { group: ['preact', 'preact/*', '@preact/*'], message },
    { group: ['@/utils/ui/*', '**/ui/*', '../ui/*', './ui/*'], message },
  ],
});

const layerImports = {
  group: ['@/entrypoints/*', '@/components/*', '**/entrypoints/**', '**/components/**'],
  message: 'utils/ holds the logic: it never imports entrypoints/ or components/.',
};

/** Files of the injected picker may import only types from outside utils/picker/ (`outside`: such paths). */
const pickerImports = (files, outside) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: outside,
            allowTypeImports: true,
            message: 'The picker imports only types from outside utils/picker/: it runs in the page and must stay small.',
          },
          { group: ['zod', 'preact', 'preact/*', 'dexie'], message: 'The picker stays small: no zod, Preact or Dexie.' },
        ],
      },
    ],
  },
});

export default defineConfig(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'public/**', '**/*.d.ts', 'playwright-report/**', 'test-results/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  nounsanitized.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // Off: an `async` function without `await` is how this code implements a dependency that
      // returns a promise (fakes in tests, sources, handlers); `async` turns a throw into a
      // rejection, which is what callers of such an interface handle.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `typeof import('…')` names a module loaded lazily without loading it.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Passing on a caught value unchanged is fine; inventing a non-Error reason is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Playwright fixtures that use no other fixture are written `async ({}, use) => …`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Never render HTML: page data is hostile.' }],
    },
  },
  {
    // Tests and scripts read JSON answers, page evaluations and IndexedDB rows as `any` on
    // purpose and check them with assertions; vitest's mocks are unbound methods by design
    // (expect(api.method).toHaveBeenCalled…); fake fetches stringify a body they know is a string.
    files: ['tests/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // node:test's describe/it/test return promises the runner itself awaits.
    files: ['tests/firefox/**'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
    },
  },
  {
    // The Desk is a Node service: it shares the schemas and pure helpers of utils/, never the
    // extension's pages, browser code or UI.
    files: ['desk/**'],
    ignores: ['desk/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'preact',
                'preact/*',
                'wxt',
                'wxt/*',
                'dexie',
                '@/entrypoints/*',
                '@/components/*',
                '**/entrypoints/**',
                '**/components/**',
                '**/utils/ui/**',
              ],
              message: 'The Desk is a Node service: no extension UI, browser or IndexedDB code.',
            },
          ],
        },
      ],
    },
  },
  {
    // The Desk's web interface runs in the reviewer's browser: it talks to the Desk only through
    // its API (desk/api/contract.ts), never to its store, server or Node modules, and shares only
    // the pure schemas and helpers of utils/ (no extension pages, browser APIs or IndexedDB).
    files: ['desk/ui/**'],
    ignores: ['desk/ui/vite.config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'wxt',
                'wxt/*',
                'dexie',
                '**/desk/store/**',
                '**/desk/http/**',
                '**/desk/intake/**',
                '**/desk/cli/**',
                '**/desk/server',
                '../server',
              ],
              message: 'The Desk interface runs in the browser: it reaches the Desk through desk/ui/api.ts only.',
            },
            {
              regex: '^(@/|(\\.\\./){2,})(entrypoints|components|utils/ui)(/|$)',
              message: "The Desk interface has its own components (desk/ui/components/), not the extension's.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['utils/**'],
    ignores: ['utils/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [layerImports, ...uiImports('Only pages use Preact: put UI hooks in utils/ui/, so the background never bundles them.').patterns],
        },
      ],
    },
  },
  {
    files: ['utils/ui/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [layerImports] }] },
  },
  {
    files: ['entrypoints/background.ts', 'utils/background/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [layerImports, ...uiImports('The service worker imports no UI code.').patterns],
        },
      ],
    },
  },
  // The injected picker: only types from outside utils/picker/ (and its own npm dependency).
  pickerImports(['entrypoints/picker.ts'], '^@/(?!utils/picker/)'),
  pickerImports(['utils/picker/describe.ts', 'utils/picker/probe.ts'], '^(@/(?!utils/picker/)|\\.\\./)'),
  pickerImports(['utils/picker/overlay/**'], '^(@/(?!utils/picker/)|\\.\\./\\.\\./)'),
  {
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
