/** Jest runs TypeScript as native ESM (libxml2-wasm is ESM-only with top-level await). */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
};

/**
 * The suites that touch every kind of Redis script and transaction (job moves and the outbox,
 * audit appends, the ledger and dead letters, review indexes, API keys, sessions, inbound held
 * lists, queues with killed workers), run a second time against a local Redis Cluster (3 masters,
 * 3 replicas: scripts/cluster/redis-cluster.sh, started and stopped around this project).
 */
const CLUSTER_SUITES = [
  'audit.trail',
  'outbox.relay',
  'delivery.ledger',
  'delivery.e2e',
  'delivery.crash',
  'hostile.reviews',
  'analysis.review',
  'fit-connect.e2e',
  'security.matrix',
  'backup',
  'gateway.e2e',
  'jobs.task',
  'redis-cluster.connection',
];
const CLUSTER_BASE = Number(process.env.REDIS_CLUSTER_BASE ?? 7100);

export default {
  testTimeout: 30000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: [
    { ...common, displayName: 'redis', testMatch: ['<rootDir>/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'redis-cluster',
      testMatch: CLUSTER_SUITES.map((s) => `<rootDir>/test/integration/${s}.test.ts`),
      globalSetup: '<rootDir>/test/support/cluster-setup.mjs',
      globalTeardown: '<rootDir>/test/support/cluster-teardown.mjs',
      globals: {
        xgwRedisClusterNodes: [0, 1, 2].map((i) => `127.0.0.1:${CLUSTER_BASE + i}`).join(','),
      },
    },
  ],
};
