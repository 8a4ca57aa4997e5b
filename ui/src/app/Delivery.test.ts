import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AppStatus, Device, Entry, EntryDelivery, Settings } from '../lib/bindings';
import { entry, SETTINGS, settle } from '../test/backend';
import { openApp, openSettings } from '../test/journal';

const DAY = 24 * 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const at = (h: number) => {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), h).toISOString();
};

function device(partial: Partial<Device>): Device {
  return { clientId: 'c', name: null, thisDevice: false, active: true, lastSeenAt: ago(DAY), pulledAt: null, ...partial };
}

const marks = () =>
  screen.queryAllByTestId('entry-delivery').map((el) => [el.dataset.delivery, el.getAttribute('aria-label')]);

describe('delivery receipts in the timeline', () => {
  it('marks each entry with its state, in words for title and screen readers, and nothing without sync', async () => {
    const entries: Entry[] = [
      entry({ id: 'a', occurredAt: at(11), body: 'local', delivery: 'onThisComputer' }),
      entry({ id: 'b', occurredAt: at(10), body: 'server', delivery: 'onServer' }),
      entry({ id: 'c', occurredAt: at(9), body: 'everywhere', delivery: 'onAllDevices' }),
      entry({ id: 'd', occurredAt: at(8), body: 'sync off' }),
    ];
    await openApp({ list_timeline: () => ({ entries, next: null }) });
    expect(marks()).toEqual([
      ['onThisComputer', 'Only on this computer — waiting to sync'],
      ['onServer', 'On your server'],
      ['onAllDevices', 'On all your devices'],
    ]);
    const [local, server, all] = screen.getAllByTestId('entry-delivery');
    expect(local.title).toBe('Only on this computer — waiting to sync');
    expect(new Set([local.textContent, server.textContent, all.textContent]).size).toBe(3);
    const unsynced = screen.getAllByTestId('timeline-entry')[3];
    expect(within(unsynced).queryByTestId('entry-delivery')).toBeNull();
  });

  it('reloads the loaded timeline on receipts-changed', async () => {
    let delivery: Entry['delivery'] = 'onServer';
    const shell = await openApp({
      list_timeline: () => ({ entries: [entry({ id: 'a', occurredAt: at(9), body: 'x', delivery })], next: null }),
    });
    expect(marks()[0][0]).toBe('onServer');
    delivery = 'onAllDevices';
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    await settle();
    expect(shell.callsOf('list_timeline').map((c) => c.args)).toEqual([
      { before: null, limit: 50 },
      { before: null, limit: 50 },
    ]);
    expect(marks()[0][0]).toBe('onAllDevices');
  });

  it('reloads the pages scrolled to as well, in one call, keeping them and the cursor', async () => {
    const cursor = { occurredAt: at(1), id: 'p1' };
    const first = Array.from({ length: 50 }, (_, i) =>
      entry({ id: `p${50 - i}`, occurredAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(), body: `n${i}` }),
    );
    const older = entry({ id: 'old', occurredAt: at(1), body: 'older', delivery: 'onServer' });
    let olderNow = older;
    const shell = await openApp({
      list_timeline: (a) =>
        a.before ? { entries: [older], next: null } : { entries: a.limit === 50 ? first : [...first, olderNow], next: cursor },
    });
    await fireEvent.click(screen.getByTestId('load-more'));
    await settle();
    expect(marks()).toEqual([['onServer', 'On your server']]);
    olderNow = { ...older, delivery: 'onAllDevices' };
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    await settle();
    expect(shell.callsOf('list_timeline').at(-1)?.args).toEqual({ before: null, limit: 51 });
    expect(screen.getAllByTestId('timeline-entry')).toHaveLength(51);
    expect(marks()).toEqual([['onAllDevices', 'On all your devices']]);
  });
});

describe('delivery receipt in the entry view', () => {
  async function openEntry(e: Entry, receipt: () => EntryDelivery) {
    const shell = await openApp({
      list_timeline: () => ({ entries: [e], next: null }),
      get_entry: () => e,
      get_entry_delivery: () => receipt(),
    });
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText(e.body));
    await settle();
    return shell;
  }
  const text = () => screen.getByTestId('entry-delivery-text').textContent;

  it('names each device that still lacks it, with when it was last seen', async () => {
    const e = entry({ id: 'e1', occurredAt: at(9), body: 'on the server', delivery: 'onServer' });
    let missing = [
      device({ clientId: 'd1', name: 'desktop', lastSeenAt: ago(3 * DAY) }),
      device({ clientId: 'd2', name: null, lastSeenAt: ago(2 * 3_600_000) }),
    ];
    const shell = await openEntry(e, () => ({ delivery: 'onServer', missing }));
    expect(shell.callsOf('get_entry_delivery').map((c) => c.args)).toEqual([{ id: 'e1' }]);
    expect(text()).toBe(
      'On your server; not yet on desktop — last seen 3 days ago; not yet on an unnamed device — last seen 2 hours ago',
    );

    // The desktop pulled it: the receipt is fetched again.
    missing = missing.slice(1);
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    await settle();
    expect(text()).toBe('On your server; not yet on an unnamed device — last seen 2 hours ago');

    // Only a change of this entry counts.
    const before = shell.callsOf('get_entry_delivery').length;
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['other'] });
    await settle();
    expect(shell.callsOf('get_entry_delivery')).toHaveLength(before);
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['e1'] });
    await settle();
    expect(shell.callsOf('get_entry_delivery').length).toBeGreaterThan(before);
  });

  it('says when it is only here, or on every device', async () => {
    const here = entry({ id: 'h', occurredAt: at(9), body: 'just typed', delivery: 'onThisComputer' });
    await openEntry(here, () => ({ delivery: 'onThisComputer', missing: [] }));
    expect(text()).toBe('Only on this computer — waiting to sync');
  });

  it('says on all your devices', async () => {
    const all = entry({ id: 'all', occurredAt: at(9), body: 'everywhere', delivery: 'onAllDevices' });
    await openEntry(all, () => ({ delivery: 'onAllDevices', missing: [] }));
    expect(text()).toBe('On all your devices');
  });

  it('shows nothing while sync is not running', async () => {
    const e = entry({ id: 'n', occurredAt: at(9), body: 'no sync' });
    const shell = await openEntry(e, () => ({ delivery: 'onServer', missing: [] }));
    expect(screen.getByTestId('entry-view')).toBeTruthy();
    expect(screen.queryByTestId('entry-delivery-text')).toBeNull();
    expect(shell.callsOf('get_entry_delivery')).toHaveLength(0);
  });
});

describe('devices in the status bar', () => {
  it('says how many other devices have everything', async () => {
    const synced = (upToDate: number): AppStatus => ({
      entryCount: 1,
      pendingOps: 0,
      failedOps: 0,
      devices: { otherDevices: 2, upToDate },
      sync: {
        state: 'active',
        email: 'ana@x',
        status: { phase: 'idle', lastSyncedAt: new Date().toISOString(), lastError: null, retryAt: null, entriesUpdated: 0, liveUpdates: 'on' },
      },
    });
    const shell = await openApp({ get_status: () => synced(2) });
    expect(screen.getByTestId('sync-state').title).toBe('Everything is on your server and on 2 other devices (ana@x).');
    await shell.emit('status-changed', { type: 'statusChanged', status: synced(1) });
    await settle();
    expect(screen.getByTestId('sync-state').title).toBe('On your server; 1 of 2 other devices not up to date (ana@x).');
  });
});

describe('devices in Settings → Sync', () => {
  const here = device({ clientId: 'me', name: 'laptop', thisDevice: true, lastSeenAt: ago(60_000) });
  const desktop = device({ clientId: 'd1', name: 'desktop', lastSeenAt: ago(3 * DAY) });
  const old = device({ clientId: 'd2', name: null, active: false, lastSeenAt: ago(45 * DAY) });
  const rows = () => screen.getAllByTestId('device-row');

  it('lists the devices, this computer first and without Forget, the stale ones as not counting', async () => {
    let devices = [here, desktop];
    const shell = await openSettings({ list_devices: () => devices });
    expect(shell.callsOf('list_devices').length).toBeGreaterThan(0);
    expect(rows()).toHaveLength(2);
    expect(rows()[0].textContent).toContain('laptop');
    expect(within(rows()[0]).getByTestId('this-device').textContent).toBe('this computer');
    expect(within(rows()[0]).queryByTestId('forget-device')).toBeNull();
    expect(rows()[1].textContent).toContain('desktop');
    expect(rows()[1].textContent).toContain('last seen 3 days ago');
    expect(within(rows()[1]).queryByTestId('device-inactive')).toBeNull();

    devices = [here, desktop, old];
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    await settle();
    expect(rows()).toHaveLength(3);
    expect(rows()[2].textContent).toContain('Unnamed device');
    expect(rows()[2].textContent).toContain('last seen 45 days ago');
    expect(within(rows()[2]).getByTestId('device-inactive').textContent).toContain('does not count');
    expect(within(rows()[2]).getByTestId('forget-device')).toBeTruthy();
  });

  it('forgets a device only after the confirm, then lists them again', async () => {
    let devices = [here, desktop];
    const shell = await openSettings({
      list_devices: () => devices,
      forget_device: (a) => {
        devices = devices.filter((d) => d.clientId !== a.clientId);
        return null;
      },
    });
    const loads = shell.callsOf('list_devices').length;
    await fireEvent.click(within(rows()[1]).getByTestId('forget-device'));
    expect(shell.callsOf('forget_device')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('forget-device-cancel'));
    expect(screen.queryByTestId('forget-device-confirm')).toBeNull();
    await fireEvent.click(within(rows()[1]).getByTestId('forget-device'));
    await fireEvent.click(screen.getByTestId('forget-device-confirm'));
    await settle();
    expect(shell.callsOf('forget_device').map((c) => c.args)).toEqual([{ clientId: 'd1' }]);
    expect(shell.callsOf('list_devices').length).toBe(loads + 1);
    expect(rows()).toHaveLength(1);
  });

  it('renames this computer, and shows why a name was refused', async () => {
    const shell = await openSettings({
      get_settings: (): Settings => ({ ...SETTINGS, deviceName: 'old name' }),
      set_device_name: (a): Settings => {
        if (a.name === 'bad') throw { code: 'invalid_input', message: 'A device name is 1 to 100 characters on one line.' };
        return { ...SETTINGS, deviceName: String(a.name) };
      },
    });
    const input = screen.getByTestId('device-name') as HTMLInputElement;
    expect(input.placeholder).toBe('host name');
    expect(input.value).toBe('old name');

    await fireEvent.input(input, { target: { value: '  desktop  ' } });
    await fireEvent.click(screen.getByTestId('device-name-save'));
    await settle();
    expect(shell.callsOf('set_device_name').map((c) => c.args)).toEqual([{ name: 'desktop' }]);
    expect(input.value).toBe('desktop');
    expect(screen.getByTestId('device-name-saved')).toBeTruthy();

    await fireEvent.input(input, { target: { value: 'bad' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    await settle();
    expect(shell.callsOf('set_device_name')).toHaveLength(2);
    expect(screen.getByTestId('device-name-error').textContent).toBe('A device name is 1 to 100 characters on one line.');
  });
});
