/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // swc strips types without type-checking (`npm run typecheck` does that once, for the whole tree).
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  // Every test process runs with CDKTF_OUTDIR in a temp folder and BASELINE_CONFIG unset, and the run
  // fails if a test changed the repository's cdktf.out all the same (__tests__/guard/repo-outdir.js).
  globalSetup: '<rootDir>/__tests__/guard/setup.js',
  globalTeardown: '<rootDir>/__tests__/guard/teardown.js',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/__tests__/summary-reporter.js'],
};
