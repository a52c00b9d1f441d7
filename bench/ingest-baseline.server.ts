/**
 * The baseline for bench:ingest: bare node:http, the same body read in full, one BullMQ queue.add,
 * a 202 with a small JSON body. No validation, no job record. Anything the gateway does on top of
 * this is the price of its checks.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { createRedis } from '../src/jobs/redis-connection.js';

// Same connection settings and job options as the gateway's analyse queue.
const queue = new Queue('analyse', {
  connection: createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker'),
  prefix: process.env.QUEUE_PREFIX ?? 'xgwbench-base',
  defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 600 } },
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const id = randomUUID();
    const now = new Date().toISOString();
    queue
      .add(
        'analyse',
        { jobId: id, tenant: 'default', kind: 'message', xmlBase64: body.toString('base64'), receivedAt: now },
        { jobId: id },
      )
      .then(
        () =>
          res
            .writeHead(202, { 'content-type': 'application/json', location: `/v1/jobs/${id}` })
            .end(JSON.stringify({ id, state: 'queued', location: `/v1/jobs/${id}` })),
        () => res.writeHead(503).end(),
      );
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void queue.close().then(() => process.exit(0));
});
