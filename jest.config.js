// Three projects: `unit` (pure rules, no services), `e2e` (the real app on real PostgreSQL and Redis) and
// `cluster` (the whole system on real components, `npm run test:cluster`; never part of `npm test`).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  // content-disposition 3 (required by @fastify/static, which Swagger UI uses) ships ESM only, and
  // jest on Node 20 cannot require ESM: transpile that one package to CommonJS for the tests.
  '^.+/node_modules/content-disposition/.+\\.js$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', esModuleInterop: true }, diagnostics: false },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!content-disposition/)'];

/** @type {import('jest').Config} */
module.exports = {
  // Global, not per project: jest ignores testTimeout inside `projects` entries.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/src', '<rootDir>/seeds'],
      testMatch: ['**/*.spec.ts'],
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      transform,
      transformIgnorePatterns,
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      slowTestThreshold: 30,
    },
    {
      // `npm run test:cluster` only (scripts/test-cluster.sh): the cluster starts its own PostgreSQL,
      // Redis and processes (test/cluster/cluster.ts), so no global setup.
      displayName: 'cluster',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/cluster'],
      testMatch: ['**/*.cluster-spec.ts'],
      transform,
      transformIgnorePatterns,
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  ],
};
