/** Jest runs the TypeScript sources through SWC with decorator metadata on (type-graphql and TypeORM need it). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/setup/build.ts',
  setupFiles: ['<rootDir>/test/setup/quiet-logs.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/loopback-only.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
