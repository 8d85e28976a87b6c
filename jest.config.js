// ESM Jest (Nest 12 is ESM-only): ts-jest in ESM mode, `.js` import suffixes mapped back to sources.
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // package.json "imports" point at dist/ for Node; tests run the TypeScript sources.
    '^#domain$': '<rootDir>/libs/domain/src/index.ts',
    '^#persistence$': '<rootDir>/libs/persistence/src/index.ts',
    '^#persistence/audit$': '<rootDir>/libs/persistence/src/audit/index.ts',
    '^#testing$': '<rootDir>/libs/testing/src/index.ts',
    '^#testing/random$': '<rootDir>/libs/testing/src/seeded-random.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node',
};

// Real processes start, and hooks that start them, take seconds on a busy 2-core machine.
const E2E_TIMEOUT_MS = 30_000;

export default {
  // Top level: jest-circus reads the default timeout from the global configuration only; set on a
  // project it was silently ignored and e2e tests without their own timeout got 5 s (the auth burst
  // test failed CI on it).
  testTimeout: E2E_TIMEOUT_MS,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/scheduler-api/**/*.spec.ts', '<rootDir>/apps/call-api-mock/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'pg', testMatch: ['<rootDir>/test/**/*.pg-spec.ts'] },
  ],
};
