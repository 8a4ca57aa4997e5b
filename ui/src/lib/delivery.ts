// Delivery receipts in words: where an entry has got (this computer → your server → all your
// devices), which devices still lack it, and how long ago a device was seen. Pure functions,
// so the timeline, the entry view and Settings say the same thing.
import type { Delivery, Device, EntryDelivery } from './bindings';

/** The timeline's glyph: empty, half and full circle, filling up as the entry travels. */
export const DELIVERY_GLYPH: Record<Delivery, string> = {
  onThisComputer: '○',
  onServer: '◐',
  onAllDevices: '●',
};

/** The short words for a state (the glyph's title and aria-label). */
export const DELIVERY_WORDS: Record<Delivery, string> = {
  onThisComputer: 'Only on this computer — waiting to sync',
  onServer: 'On your server',
  onAllDevices: 'On all your devices',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/** "just now", "5 minutes ago", "3 hours ago", "3 days ago", "2 months ago", "1 year ago". */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return 'at an unknown time';
  // A clock slightly ahead on the server side must not read as "in 2 minutes".
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return count(Math.floor(ms / HOUR), 'hour');
  const days = Math.floor(ms / DAY);
  if (days < 60) return count(days, 'day');
  if (days < 365) return count(Math.floor(days / 30), 'month');
  return count(Math.floor(days / 365), 'year');
}

/** "last seen 3 days ago", or "never seen" for a device that has not synced yet. */
export function lastSeen(device: Device, now: Date = new Date()): string {
  return device.lastSeenAt ? `last seen ${timeAgo(device.lastSeenAt, now)}` : 'never seen';
}

/** A device's own name; `fallback` for one that never named itself. */
export function deviceLabel(device: Device, fallback = 'Unnamed device'): string {
  const name = device.name?.trim();
  return name ? name : fallback;
}

/**
 * The entry view's sentence: "On your server; not yet on desktop — last seen 3 days ago".
 * Each missing device gets its own clause, so none hides behind another.
 */
export function entryDeliveryText(receipt: EntryDelivery, now: Date = new Date()): string {
  if (receipt.delivery !== 'onServer' || receipt.missing.length === 0) return DELIVERY_WORDS[receipt.delivery];
  const lacking = receipt.missing.map(
    (d) => `not yet on ${deviceLabel(d, 'an unnamed device')} — ${lastSeen(d, now)}`,
  );
  return [DELIVERY_WORDS.onServer, ...lacking].join('; ');
}

/** "1 other device", "2 other devices". */
export function otherDevices(n: number): string {
  return `${n.toLocaleString('en')} other ${n === 1 ? 'device' : 'devices'}`;
}
