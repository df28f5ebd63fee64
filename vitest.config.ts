// One `npm test` for every project: schema and server unit/integration suites, the client's, and
// browser tests in real Chromium (client/e2e).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'schema', include: ['schema/test/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'client', include: ['client/src/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'deploy', include: ['docker/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'server', include: ['server/test/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 30_000 } },
      {
        test: {
          name: 'e2e',
          include: ['client/e2e/**/*.test.ts'],
          globalSetup: ['client/e2e/globalSetup.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // One browser suite at a time: two cores, and each starts a server and Chromium.
          fileParallelism: false,
        },
      },
    ],
  },
});
