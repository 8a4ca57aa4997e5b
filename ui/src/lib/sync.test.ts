import { describe, expect, it } from 'vitest';
import type { AppStatus, SyncPhase } from './bindings';
import { liveUpdatesLine, syncLabel, syncTime } from './sync';

const now = new Date(2026, 2, 14, 16, 0);
const at = new Date(2026, 2, 14, 14, 5).toISOString();

function active(phase: SyncPhase, pending = 0, last: string | null = at): AppStatus {
  return {
    entryCount: 3,
    pendingOps: pending,
    failedOps: 0,
    sync: {
      state: 'active',
      email: 'ana@example.com',
      status: { phase, lastSyncedAt: last, lastError: 'server error 500', retryAt: null, entriesUpdated: 0, liveUpdates: 'on' },
    },
  };
}

describe('syncLabel', () => {
  it('local only and signed out', () => {
    expect(syncLabel({ entryCount: 0, pendingOps: 0, failedOps: 0, sync: { state: 'localOnly' } }, now).text).toBe('Local only');
    expect(syncLabel({ entryCount: 0, pendingOps: 2, failedOps: 0, sync: { state: 'signedOut', reason: null } }, now).text).toBe(
      'Signed out',
    );
  });

  it('every signed-in phase', () => {
    expect(syncLabel(active('idle'), now)).toMatchObject({ text: 'Synced · last synced 14:05', tone: 'ok' });
    expect(syncLabel(active('idle', 1), now)).toMatchObject({
      text: 'Waiting to sync · last synced 14:05',
      detail: '1 change not synced',
    });
    expect(syncLabel(active('idle', 0, null), now).text).toBe('Not synced yet');
    expect(syncLabel(active('pushing'), now).text).toBe('Syncing…');
    expect(syncLabel(active('pulling'), now).text).toBe('Syncing…');
    expect(syncLabel(active('offline'), now).text).toBe('Offline · last synced 14:05');
    expect(syncLabel(active('limited'), now).text).toBe('Server unreachable · last synced 14:05');
    expect(syncLabel(active('error'), now)).toMatchObject({ text: 'Sync error · last synced 14:05', tone: 'error' });
    expect(syncLabel(active('backoff'), now).detail).toContain('server error 500');
    expect(syncLabel(active('signedOut'), now).text).toBe('Signed out');
  });

  it('never says synced while changes failed to sync', () => {
    const failed = (status: AppStatus, n: number): AppStatus => ({ ...status, failedOps: n });
    const label = syncLabel(failed(active('idle'), 6), now);
    expect(label).toMatchObject({ text: '6 changes failed to sync', tone: 'error' });
    expect(label.detail).not.toContain('Everything is on the server');
    expect(label.detail).toContain('retry or discard');
    expect(syncLabel(failed(active('idle', 2), 1), now).text).toBe('1 change failed to sync');
    expect(syncLabel(failed(active('offline'), 2), now).text).toBe(
      'Offline · last synced 14:05 · 2 changes failed to sync',
    );
    const paused: AppStatus = { entryCount: 1, pendingOps: 1, failedOps: 2, sync: { state: 'paused', email: 'a@x' } };
    expect(syncLabel(paused, now).text).toBe('Sync paused · 3 changes not synced');
  });

  it('says how many other devices hold everything once synced', () => {
    const withDevices = (otherDevices: number, upToDate: number): AppStatus => ({
      ...active('idle'),
      devices: { otherDevices, upToDate },
    });
    expect(syncLabel(withDevices(2, 2), now)).toMatchObject({
      text: 'Synced · last synced 14:05',
      tone: 'ok',
      detail: 'Everything is on your server and on 2 other devices (ana@example.com).',
    });
    expect(syncLabel(withDevices(1, 1), now).detail).toBe(
      'Everything is on your server and on 1 other device (ana@example.com).',
    );
    expect(syncLabel(withDevices(2, 1), now)).toMatchObject({
      tone: 'ok',
      detail: 'On your server; 1 of 2 other devices not up to date (ana@example.com).',
    });
    // No other device (or no summary yet): today's wording.
    expect(syncLabel(withDevices(0, 0), now).detail).toBe('Everything is on the server (ana@example.com).');
    expect(syncLabel(active('idle'), now).detail).toBe('Everything is on the server (ana@example.com).');
    // Unsynced changes still come first.
    expect(syncLabel({ ...withDevices(2, 2), pendingOps: 1 }, now).detail).toBe('1 change not synced');
  });

  it('names the day of an older sync', () => {
    expect(syncTime(new Date(2026, 2, 13, 9, 30).toISOString(), now)).toBe('13 Mar 09:30');
  });
});

describe('liveUpdatesLine', () => {
  it('says whether other devices\' changes arrive at once, and nothing when sync is not running', () => {
    const withLive = (liveUpdates: 'on' | 'off' | 'connecting'): AppStatus => {
      const status = active('idle');
      if (status.sync.state === 'active') status.sync.status.liveUpdates = liveUpdates;
      return status;
    };
    expect(liveUpdatesLine(withLive('on'))).toMatch(/^Live updates on/);
    expect(liveUpdatesLine(withLive('off'))).toMatch(/^Live updates off: .* next sync/);
    expect(liveUpdatesLine(withLive('connecting'))).toMatch(/^Connecting/);
    expect(liveUpdatesLine({ entryCount: 0, pendingOps: 0, failedOps: 0, sync: { state: 'localOnly' } })).toBeNull();
  });
});
