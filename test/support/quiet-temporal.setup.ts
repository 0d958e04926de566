// Jest setup file (integration project): the Temporal SDK logs every worker state change at
// INFO; the suites only want warnings. Installed before any suite creates a worker.
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this module registry.
}
