// @ts-check
/**
 * Mutation testing of libs/domain alone (`npm run test:mutation:domain`, and .ci/run): the ticket
 * rules against their own unit tests. The run fails below a mutation score of 85 %.
 */
import { base } from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: ['libs/domain/src/**/*.ts', '!**/*.spec.ts', '!**/index.ts'],
  jest: { ...base.jest, config: { roots: ['<rootDir>/libs/domain'] } },
  // The domain imports nothing: type-check mutants against it and its tests alone (fast).
  tsconfigFile: 'tsconfig.mutation.domain.json',
  htmlReporter: { fileName: 'reports/mutation/domain/index.html' },
  jsonReporter: { fileName: 'reports/mutation/domain/mutation.json' },
  thresholds: { high: 90, low: 85, break: 85 },
};
