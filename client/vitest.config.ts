import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** Screen tests: each renders a route's component with mocked GraphQL in happy-dom. */
export default defineConfig({
  plugins: [react()],
  test: { environment: 'happy-dom', include: ['src/**/*.test.tsx'], setupFiles: ['src/test/setup.ts'], restoreMocks: true },
});
