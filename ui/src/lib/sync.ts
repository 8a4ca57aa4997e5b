// What the status bar says about sync, as a pure function of the status (mirrors the tray's
// wording in src-tauri/core/src/tray_view.rs).
import type { AppStatus, DevicesSummary, SyncState } from './bindings';
import { otherDevices } from './delivery';

/** "14:05" today, "13 Mar 09:30" another day. */
export function syncTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (d.toDateString() === now.toDateString()) return hm;
  return `${d.getDate()} ${d.toLocaleDateString('en-GB', { month: 'short' })} ${hm}`;
}

export type SyncTone = 'ok' | 'busy' | 'warn' | 'error' | 'muted';

export interface SyncLabel {
  text: string;
  tone: SyncTone;
  /** Longer explanation (title attribute). */
  detail: string;
}

function changes(n: number): string {
  return n === 1 ? '1 change not synced' : `${n.toLocaleString('en')} changes not synced`;
}

/** "1 change failed to sync", "6 changes failed to sync" (dead letters: refused by the server). */
export function failedChanges(n: number): string {
  return n === 1 ? '1 change failed to sync' : `${n.toLocaleString('en')} changes failed to sync`;
}

/** Where everything is once pushed: the server, and how many of the other devices caught up. */
function syncedDetail(devices: DevicesSummary | undefined): string {
  if (!devices || devices.otherDevices === 0) return 'Everything is on the server';
  const { otherDevices: others, upToDate } = devices;
  if (upToDate >= others) return `Everything is on your server and on ${otherDevices(others)}`;
  // A device that has not pulled yet is not an error: it gets everything when it next syncs.
  return `On your server; ${others - upToDate} of ${otherDevices(others)} not up to date`;
}

export function syncLabel(status: AppStatus, now: Date = new Date()): SyncLabel {
  const sync: SyncState = status.sync;
  // Failed changes are not on the server either: counted as not synced everywhere.
  const failed = status.failedOps;
  const unsynced = status.pendingOps + failed;
  const andFailed = failed > 0 ? ` · ${failedChanges(failed)}` : '';
  switch (sync.state) {
    case 'localOnly':
      return { text: 'Local only', tone: 'muted', detail: 'Saved on this computer; sync is not set up.' };
    case 'signedOut':
      return {
        text: 'Signed out',
        tone: 'muted',
        detail: sync.reason ? `Signed out: ${sync.reason}` : 'Sign in (Settings) to sync.',
      };
    case 'paused':
      return {
        text: unsynced > 0 ? `Sync paused · ${changes(unsynced)}` : 'Sync paused',
        tone: 'muted',
        detail: `Nothing is sent or fetched for ${sync.email}; resume from the tray or the sync panel.`,
      };
    case 'active': {
      const s = sync.status;
      const last = s.lastSyncedAt ? `last synced ${syncTime(s.lastSyncedAt, now)}` : 'not synced yet';
      switch (s.phase) {
        case 'pushing':
        case 'pulling':
          return { text: 'Syncing…', tone: 'busy', detail: last };
        case 'offline':
          return { text: `Offline · ${last}${andFailed}`, tone: 'warn', detail: s.lastError ?? 'No connection.' };
        case 'limited':
          return { text: `Server unreachable · ${last}${andFailed}`, tone: 'warn', detail: s.lastError ?? '' };
        case 'backoff':
        case 'error':
          return {
            text: `Sync error · ${last}${andFailed}`,
            tone: 'error',
            detail: `${s.lastError ?? 'Unknown error'}; retrying${s.retryAt ? ` at ${syncTime(s.retryAt, now)}` : ''}.`,
          };
        case 'signedOut':
          return { text: 'Signed out', tone: 'error', detail: s.lastError ?? 'Sign in again.' };
        case 'idle':
          if (failed > 0)
            return {
              text: failedChanges(failed),
              tone: 'error',
              detail: `The server refused them (${last}); retry or discard them in the sync details.`,
            };
          if (unsynced > 0) return { text: `Waiting to sync · ${last}`, tone: 'warn', detail: changes(unsynced) };
          if (!s.lastSyncedAt) return { text: 'Not synced yet', tone: 'busy', detail: sync.email };
          return { text: `Synced · ${last}`, tone: 'ok', detail: `${syncedDetail(status.devices)} (${sync.email}).` };
      }
    }
  }
  return { text: 'Unknown', tone: 'muted', detail: '' };
}

/** The sync panel's line about live updates (Realtime); null when sync is not running. */
export function liveUpdatesLine(status: AppStatus): string | null {
  if (status.sync.state !== 'active') return null;
  switch (status.sync.status.liveUpdates) {
    case 'on':
      return 'Live updates on: changes from your other devices arrive at once.';
    case 'connecting':
      return 'Connecting for live updates…';
    case 'off':
      return 'Live updates off: changes from your other devices arrive on the next sync.';
  }
  return null;
}
