// ESLint flat config: typescript-eslint's strict type-aware rules for the server, libraries, tests
// and benchmarks; angular-eslint for the dashboard; Prettier owns formatting (eslint-config-prettier last).
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import angular from 'angular-eslint';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const typeChecked = [eslint.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked];

// Adjustments shared by every TypeScript file; each says which rule fights which framework or idiom.
const sharedRules = {
  // Nest modules are empty classes carrying @Module(); a decorated empty class is the framework's idiom.
  '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
  // TypeORM declares entities and options as classes that are filled as plain shapes (rows, options
  // objects, test doubles of its errors); the rule would forbid the ORM's documented use.
  '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
  // Numbers in messages and log lines read fine; objects, nullish values and `any` stay forbidden.
  '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
  // `import type` where only types are used. In files with decorators the rule stays silent
  // (emitDecoratorMetadata needs the value import for Nest's DI), so the fix never breaks injection.
  '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
  // `() => res.end()` and `return send(...)` inside a void function are the handler idioms of Express and Angular.
  '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
  // `text || 'default'` deliberately treats an empty string as missing.
  '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
  // `_`-prefixed parameters and bindings mark an intentionally unused slot (interface shape, rest omit).
  '@typescript-eslint/no-unused-vars': [
    'error',
    { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
  ],
};

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.angular/**',
      '**/coverage/**',
      'test-artifacts/**',
      'data/**',
      'apps/dashboard/out-tsc/**',
      'test/contract/**',
      'openapi.json',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Server, Call API stand-in, libraries, tests and benchmarks: one Node program (tsconfig.json).
  {
    files: ['apps/scheduler-api/**/*.ts', 'apps/call-api-mock/**/*.ts', 'libs/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    extends: typeChecked,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: sharedRules,
  },
  // Angular dashboard: its own tsconfigs (app and spec), angular-eslint's recommended TS and template rules.
  {
    files: ['apps/dashboard/src/**/*.ts'],
    extends: [...typeChecked, angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    languageOptions: {
      parserOptions: {
        project: ['apps/dashboard/tsconfig.app.json', 'apps/dashboard/tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      ...sharedRules,
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'app', style: 'camelCase' }],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: 'app', style: 'kebab-case' }],
    },
  },
  {
    files: ['apps/dashboard/src/**/*.html'],
    extends: [angular.configs.templateRecommended, angular.configs.templateAccessibility],
  },

  // Tests (after both program blocks, so these adjustments win over the presets).
  {
    // Unit specs (Jest and Vitest), end-to-end tests and benchmarks.
    files: ['**/*.spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // `expect(mock.method).toHaveBeenCalled()` passes an unbound method on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // In a test or a benchmark a wrong `!` throws at once and fails the run, which is what the assertion is for.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Jest's asymmetric matchers (`expect.objectContaining(...)`) are typed `any` by @types/jest.
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // End-to-end tests read JSON bodies from the real HTTP API untyped on purpose: the assertions check their shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Processes started in beforeAll are `let x: T`; afterAll's `x?.stop()` guards a failed start TypeScript cannot see.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },

  // Plain JavaScript (this file, Jest's config, scripts/): no tsconfig covers them, so no type-aware rules.
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [eslint.configs.recommended],
    // The Node globals these scripts use (the `globals` package is not a dependency here).
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },

  // Last: turn off every stylistic rule Prettier already decides.
  prettier,
);
