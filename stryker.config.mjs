// @ts-check
/**
 * Mutation testing (StrykerJS) of the parts whose tests are fast: `npm run test:mutation`.
 * Each mutant (a small change to the code: `<` → `<=`, `&&` → `||`, a condition forced to true,
 * a string emptied…) is run against the unit tests that cover it; a mutant no test notices
 * "survives" and points at a rule nothing checks. How to read the report: docs/testing.md.
 * The domain alone, with the threshold CI holds: stryker.domain.config.mjs.
 */

/** The unit-tested, I/O-free code: the rules, the SMS library, the API's pure edge code, the activities' pure parts. */
export const FAST_PARTS = [
  'libs/domain/src/**/*.ts',
  'libs/sms/src/**/*.ts',
  '!libs/sms/src/sms.module.ts', // DI wiring only; exercised by the integration suites
  'apps/api/src/common/problem-details.filter.ts',
  'apps/api/src/common/route-input.pipe.ts',
  'apps/api/src/common/turkish-phone.ts',
  'apps/api/src/common/ticket-number.ts',
  'activities/ticket-activities.contract.ts',
  'activities/create-activities.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const base = {
  testRunner: 'jest',
  jest: { configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  ignoreStatic: false,
  concurrency: 2,
  timeoutMS: 10000,
  tempDirName: '.stryker-tmp',
  // Not needed by any unit test (the SMS gateway's spec uses test/support/fake-twilio.server.ts).
  ignorePatterns: ['/.data', '/dist', '/reports', '/coverage', '/bench', '/docs', '/scripts', '/test/*', '!/test/support'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  clearTextReporter: { reportMutants: true, reportScoreTable: true, allowEmojis: false },
  thresholds: { high: 90, low: 85, break: null },
  incremental: false,
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mutate: [...FAST_PARTS, '!**/*.spec.ts', '!**/index.ts'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
};
