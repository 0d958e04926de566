/** Stops the servers global-setup started and removes their throwaway data. */
export default async function globalTeardown(): Promise<void> {
  const stop = (globalThis as any).__TEKSIN_TEST_STOP__ as (() => Promise<void>) | undefined;
  if (stop) await stop();
}
