/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // The console's pages: TSX rendered to strings by Preact, with .swcrc's settings plus JSX.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        swcrc: false,
        sourceMaps: true,
        jsc: {
          parser: { syntax: 'typescript', tsx: true, decorators: true },
          transform: {
            legacyDecorator: true,
            decoratorMetadata: true,
            react: { runtime: 'automatic', importSource: 'preact' },
          },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  testTimeout: 60_000,
  // Integration files each own a database and a queue prefix, so they can run side by side.
  maxWorkers: 2,
};
