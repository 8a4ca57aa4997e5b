import { cleanup } from '@testing-library/svelte';
import { clearMocks } from '@tauri-apps/api/mocks';
import { afterEach } from 'vitest';

// Unmount components (and their event listeners) before the fake shell goes away.
afterEach(() => {
  cleanup();
  clearMocks();
});
