import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

// Two windows, two HTML entries: `index.html` (label `main`) and `capture.html` (label `capture`).
// Relative asset paths so the bundle works from Tauri's custom protocol. No inline scripts:
// the CSP is `default-src 'self'`.
export default defineConfig({
  base: './',
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is unnecessary in Tauri's webviews and only adds bytes to first paint.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { main: page('./index.html'), capture: page('./capture.html') },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    restoreMocks: true,
  },
});
