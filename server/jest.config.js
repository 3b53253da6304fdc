/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  // Real PostgreSQL: one worker per core. The embedded engine is one session, so its tests run one file at a time.
  maxWorkers: process.env.DATABASE_URL ? 2 : 1,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
};
