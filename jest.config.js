// Two projects: fast unit tests of single pieces, and integration suites that run against a
// real PostgreSQL and a real Temporal dev server started once by test/support/global-setup.ts.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  // jose 6 ships ES modules only: Node's require(esm) loads it everywhere else, Jest's own module
  // loader cannot (before Node 24.9), so its files are compiled to CommonJS like ours.
  transform: { '^.+\\.ts$': swc, '/node_modules/jose/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // Integration scenarios wait for real clocks (seconds) and real servers.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/activities', '<rootDir>/workflows'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
      setupFiles: ['<rootDir>/test/support/quiet-temporal.setup.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // Fault injection (issue 13): each suite starts and kills its own PostgreSQL, Temporal
      // server, API and worker processes (test/faults/support/fault-stack.ts), so no global setup.
      ...common,
      displayName: 'faults',
      roots: ['<rootDir>/test/faults'],
      testMatch: ['**/*.spec.ts'],
    },
  ],
};
