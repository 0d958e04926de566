// Jest for mutation runs (StrykerJS, `npm run test:mutation`): the unit project of jest.config.js
// alone, with no global setup, so a mutation run never starts PostgreSQL, Temporal or an HTTP
// server. The domain-only run narrows `roots` to libs/domain (stryker.domain.config.mjs).
const { projects } = require('./jest.config');

const { displayName: _name, ...unit } = projects.find((project) => project.displayName === 'unit');

module.exports = { ...unit, rootDir: __dirname, testTimeout: 10000 };
