import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 700,
    // Two pages: the dashboard, and the Admin Portal (served at /portal, sharing components and assets, not its session).
    rollupOptions: { input: { main: resolve(__dirname, 'index.html'), portal: resolve(__dirname, 'portal.html') } },
  },
  server: { proxy: { '/graphql': 'http://localhost:8080', '/health': 'http://localhost:8080', '/portal/api': 'http://localhost:8080', '/portal/launch': 'http://localhost:8080' } },
});
