/**
 * The baseline's worker, a process of its own like the ticket worker (so its RSS and CPU are
 * read the same way): polls BARE_TASK_QUEUE on TEMPORAL_ADDRESS for bench/lifecycle's
 * bareWorkflow (the same updates as a ticket, no activities). Prints `READY`; SIGTERM or
 * SIGINT drains it and exits 0. Started by bench/load/load.bench.ts.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.BARE_TASK_QUEUE!,
    workflowsPath: require.resolve('../lifecycle/bare.workflow'),
    ...(process.env.WORKER_MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS) } : {}),
  });
  const stop = () => worker.getState() === 'RUNNING' && worker.shutdown();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const running = worker.run();
  process.stdout.write('READY\n');
  await running;
  await connection.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
