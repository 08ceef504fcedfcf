/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type-checking happens once in `npm run build` (tsc); per-file transpilation keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 60000,
};
