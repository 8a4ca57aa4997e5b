import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AppStatus, Settings } from '../lib/bindings';
import { SETTINGS, settle } from '../test/backend';
import { openApp } from '../test/journal';

const synced: AppStatus = {
  entryCount: 2,
  pendingOps: 0,
  failedOps: 0,
  sync: {
    state: 'active',
    email: 'ana@x',
    status: { phase: 'idle', lastSyncedAt: new Date().toISOString(), lastError: null, retryAt: null, entriesUpdated: 0, liveUpdates: 'on' },
  },
};

describe('sync in the journal window', () => {
  it('shows the sync state from status-changed events and syncs on Refresh', async () => {
    const shell = await openApp({ refresh: () => synced });
    expect(screen.getByTestId('sync-state').textContent).toBe('Local only');
    await shell.emit('status-changed', { type: 'statusChanged', status: synced });
    await settle();
    expect(screen.getByTestId('sync-state').textContent).toMatch(/^Synced · last synced \d\d:\d\d$/);
    await fireEvent.click(screen.getByTestId('refresh-button'));
    await settle();
    expect(shell.callsOf('refresh')).toHaveLength(1);
  });

  it('shows "N entries updated from the cloud" after a pull', async () => {
    const shell = await openApp();
    await shell.emit('cloud-updated', { entriesUpdated: 3 });
    await settle();
    expect(screen.getByTestId('cloud-notice').textContent).toBe('3 entries updated from the cloud');
  });

  it('lists pending changes and dead letters, with retry and discard', async () => {
    const op = (opSeq: number, lastError: string | null) => ({
      opSeq,
      table: 'entries',
      rowId: '0190-abcdef12',
      op: 'upsert',
      fields: ['body'],
      attempts: 8,
      nextAttemptAt: null,
      lastError,
    });
    const shell = await openApp({
      get_sync_details: () => ({ pending: [op(5, null)], pendingTotal: 1, deadLetters: [op(3, 'body too long')] }),
      retry_dead_letter: () => null,
      discard_dead_letter: () => null,
    });
    await fireEvent.click(screen.getByTestId('sync-state'));
    await settle();
    expect(screen.getAllByTestId('pending-op')).toHaveLength(1);
    expect(screen.getByTestId('dead-letter').textContent).toContain('body too long');
    await fireEvent.click(screen.getByTestId('dead-retry'));
    await fireEvent.click(screen.getByTestId('dead-discard'));
    await settle();
    expect(shell.callsOf('retry_dead_letter')[0].args).toEqual({ opSeq: 3 });
    expect(shell.callsOf('discard_dead_letter')[0].args).toEqual({ opSeq: 3 });
  });

  it('shows failed changes as not synced, in the status bar and the panel, and retries them all', async () => {
    const op = (opSeq: number) => ({
      opSeq,
      table: 'entries',
      rowId: `0190-abcdef1${opSeq}`,
      op: 'upsert',
      fields: ['body'],
      attempts: 8,
      nextAttemptAt: null,
      lastError: 'request rejected (400): bad request',
    });
    let dead = [1, 2, 3, 4, 5, 6].map(op);
    const shell = await openApp({
      get_sync_details: () => ({ pending: [], pendingTotal: 0, deadLetters: dead }),
      retry_all_dead_letters: () => {
        const n = dead.length;
        dead = [];
        return n;
      },
    });
    await shell.emit('status-changed', { type: 'statusChanged', status: { ...synced, failedOps: 6 } });
    await settle();
    expect(screen.getByTestId('status-text').textContent).toBe('2 entries · 0 pending changes · 6 changes failed to sync');
    expect(screen.getByTestId('sync-state').title).not.toContain('Everything is on the server');

    await fireEvent.click(screen.getByTestId('sync-state'));
    await settle();
    const state = screen.getByTestId('sync-panel-state').textContent ?? '';
    expect(state).toContain('6 changes failed to sync');
    expect(state).not.toContain('Everything is on the server');
    expect(screen.getAllByTestId('dead-letter')).toHaveLength(6);

    await fireEvent.click(screen.getByTestId('dead-retry-all'));
    await settle();
    expect(shell.callsOf('retry_all_dead_letters')).toHaveLength(1);
    expect(shell.callsOf('retry_dead_letter')).toHaveLength(0);
    expect(screen.queryAllByTestId('dead-letter')).toHaveLength(0);
    expect(screen.queryByTestId('dead-retry-all')).toBeNull();
  });

  it('says a pending change that failed transiently is still being retried', async () => {
    await openApp({
      get_sync_details: () => ({
        pending: [
          {
            opSeq: 9,
            table: 'entries',
            rowId: '0190-abcdef19',
            op: 'upsert',
            fields: ['body'],
            attempts: 0,
            nextAttemptAt: null,
            lastError: 'network error: connection refused',
          },
        ],
        pendingTotal: 1,
        deadLetters: [],
      }),
    });
    await fireEvent.click(screen.getByTestId('sync-state'));
    await settle();
    expect(screen.getByTestId('pending-error').textContent).toContain(
      'not sent yet, retrying: network error: connection refused',
    );
  });

  it('pauses sync from the panel and offers Resume while paused', async () => {
    const shell = await openApp({
      get_sync_details: () => ({ pending: [], pendingTotal: 0, deadLetters: [] }),
      set_sync_paused: () => null,
    });
    await shell.emit('status-changed', { type: 'statusChanged', status: synced });
    await fireEvent.click(screen.getByTestId('sync-state'));
    await settle();
    await fireEvent.click(screen.getByTestId('pause-sync'));
    await settle();
    expect(shell.callsOf('set_sync_paused')[0].args).toEqual({ paused: true });
    const paused: AppStatus = { entryCount: 2, pendingOps: 1, failedOps: 0, sync: { state: 'paused', email: 'ana@x' } };
    await shell.emit('status-changed', { type: 'statusChanged', status: paused });
    await settle();
    expect(screen.getByTestId('sync-state').textContent).toBe('Sync paused · 1 change not synced');
    expect(screen.queryByTestId('pause-sync')).toBeNull();
    await fireEvent.click(screen.getByTestId('resume-sync'));
    await settle();
    expect(shell.callsOf('set_sync_paused')[1].args).toEqual({ paused: false });
  });
});

describe('sync settings', () => {
  it('saves the backend, signs in, and asks before discarding another account\'s changes', async () => {
    let refused = false;
    const shell = await openApp({
      set_sync_settings: (a) => ({ captureHotkey: 'Ctrl+Shift+Space', ...a }),
      sign_in: (a) => {
        if (!a.discardPending) {
          refused = true;
          throw { code: 'pending_changes_of_other_user', message: 'This journal holds 2 unsynced changes of another account.' };
        }
        return { email: 'ben@x', userId: 'u' };
      },
      sign_out: () => null,
    });
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    await fireEvent.input(screen.getByTestId('backend-url'), { target: { value: 'http://127.0.0.1:5' } });
    await fireEvent.input(screen.getByTestId('anon-key'), { target: { value: 'anon' } });
    await fireEvent.click(screen.getByTestId('sync-settings-save'));
    await settle();
    expect(shell.callsOf('set_sync_settings')[0].args).toEqual({
      backendUrl: 'http://127.0.0.1:5',
      anonKey: 'anon',
      syncIntervalMinutes: 5,
    });

    await fireEvent.input(screen.getByTestId('account-email-input'), { target: { value: 'ben@x' } });
    await fireEvent.input(screen.getByTestId('account-password'), { target: { value: 'pw' } });
    await fireEvent.click(screen.getByTestId('sign-in'));
    await settle();
    expect(refused).toBe(true);
    expect(screen.getByTestId('discard-confirm').textContent).toContain('2 unsynced changes');
    expect(screen.queryByTestId('account-email')).toBeNull();

    await fireEvent.click(screen.getByTestId('discard-and-sign-in'));
    await settle();
    expect(shell.callsOf('sign_in')[1].args).toEqual({ email: 'ben@x', password: 'pw', discardPending: true });
    expect(screen.getByTestId('account-email').textContent).toContain('ben@x');

    await fireEvent.click(screen.getByTestId('sign-out'));
    await settle();
    expect(shell.callsOf('sign_out')).toHaveLength(1);
    expect(screen.getByTestId('sign-in')).toBeTruthy();
  });

  it('keeps the backend fields disabled until the saved values are in, so typing is never overwritten', async () => {
    // Every view that reads the settings waits until the test lets them all through.
    let held = true;
    const waiting: (() => void)[] = [];
    await openApp({
      get_settings: async () => {
        if (held) await new Promise<void>((r) => waiting.push(r));
        return { ...SETTINGS, backendUrl: 'https://saved.example', anonKey: 'saved-key' } as Settings;
      },
    });
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    const url = screen.getByTestId('backend-url') as HTMLInputElement;
    expect(url.disabled).toBe(true);
    expect((screen.getByTestId('sync-settings-save') as HTMLButtonElement).disabled).toBe(true);
    held = false;
    waiting.forEach((r) => r());
    await settle();
    expect(url.disabled).toBe(false);
    expect(url.value).toBe('https://saved.example');
    expect((screen.getByTestId('anon-key') as HTMLInputElement).value).toBe('saved-key');
  });

  it('shows a wrong password clearly', async () => {
    await openApp({
      sign_in: () => {
        throw { code: 'invalid_credentials', message: 'Wrong email or password (Invalid login credentials).' };
      },
    });
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    await fireEvent.click(screen.getByTestId('sign-in'));
    await settle();
    expect(screen.getByTestId('sync-settings-error').textContent).toContain('Wrong email or password');
  });
});
