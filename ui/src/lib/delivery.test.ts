import { describe, expect, it } from 'vitest';
import type { Device } from './bindings';
import { deviceLabel, entryDeliveryText, lastSeen, timeAgo } from './delivery';

const now = new Date(2026, 2, 14, 16, 0);
const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function device(partial: Partial<Device> = {}): Device {
  return {
    clientId: 'c1',
    name: 'desktop',
    thisDevice: false,
    active: true,
    lastSeenAt: before(3 * DAY),
    pulledAt: null,
    ...partial,
  };
}

describe('timeAgo', () => {
  it('counts in the largest whole unit', () => {
    expect(timeAgo(before(10_000), now)).toBe('just now');
    expect(timeAgo(before(-120_000), now)).toBe('just now');
    expect(timeAgo(before(60_000), now)).toBe('1 minute ago');
    expect(timeAgo(before(5 * 60_000), now)).toBe('5 minutes ago');
    expect(timeAgo(before(3 * HOUR), now)).toBe('3 hours ago');
    expect(timeAgo(before(DAY), now)).toBe('1 day ago');
    expect(timeAgo(before(45 * DAY), now)).toBe('45 days ago');
    expect(timeAgo(before(90 * DAY), now)).toBe('3 months ago');
    expect(timeAgo(before(800 * DAY), now)).toBe('2 years ago');
  });
});

describe('device words', () => {
  it('names a device or calls it unnamed, and says when it was last seen', () => {
    expect(deviceLabel(device())).toBe('desktop');
    expect(deviceLabel(device({ name: null }))).toBe('Unnamed device');
    expect(deviceLabel(device({ name: '  ' }), 'an unnamed device')).toBe('an unnamed device');
    expect(lastSeen(device(), now)).toBe('last seen 3 days ago');
    expect(lastSeen(device({ lastSeenAt: null }), now)).toBe('never seen');
  });
});

describe('entryDeliveryText', () => {
  it('says where the entry is, and which device still lacks it', () => {
    expect(entryDeliveryText({ delivery: 'onThisComputer', missing: [] }, now)).toBe(
      'Only on this computer — waiting to sync',
    );
    expect(entryDeliveryText({ delivery: 'onServer', missing: [] }, now)).toBe('On your server');
    expect(entryDeliveryText({ delivery: 'onServer', missing: [device()] }, now)).toBe(
      'On your server; not yet on desktop — last seen 3 days ago',
    );
    expect(
      entryDeliveryText(
        { delivery: 'onServer', missing: [device(), device({ clientId: 'c2', name: null, lastSeenAt: before(2 * HOUR) })] },
        now,
      ),
    ).toBe('On your server; not yet on desktop — last seen 3 days ago; not yet on an unnamed device — last seen 2 hours ago');
    expect(entryDeliveryText({ delivery: 'onAllDevices', missing: [] }, now)).toBe('On all your devices');
  });
});
