export * from './incident-queue.js';
export * from './job-schemas.js';
export { deliveryJobId, coalesceKey, safeIdPart } from './job-ids.js';
export { createBullmqQueue, type BullmqQueueOptions } from './bullmq-queue.js';
export { startBullmqWorker, type BullmqWorkerOptions } from './bullmq-worker.js';
export { createInProcessQueue, type InProcessQueue, type InProcessQueueOptions } from './in-process-queue.js';
