import react from '@vitejs/plugin-react-swc';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The staff console: built into apps/console/dist (git-ignored), served by the API at /console.
 * `npm run console:dev` serves it with hot reload and proxies the API (started apart on :3000).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: Object.fromEntries(
      ['/auth', '/me', '/queues', '/tickets', '/contacts', '/categories', '/departments', '/institutions', '/districts', '/map'].map((p) => [p, 'http://localhost:3000']),
    ),
  },
});
