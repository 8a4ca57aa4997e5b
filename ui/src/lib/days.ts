// Grouping of timeline entries by local calendar day, and the labels shown for days and times.
import type { Entry } from './bindings';

export interface DayGroup {
  /** Local date as `YYYY-MM-DD`, stable key for the group. */
  key: string;
  label: string;
  entries: Entry[];
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

const pad = (n: number) => String(n).padStart(2, '0');

export function localDayKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "Today", "Yesterday", or e.g. "Monday 16 November 2026". */
export function dayLabel(d: Date, now: Date): string {
  const key = localDayKey(d);
  if (key === localDayKey(now)) return 'Today';
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (key === localDayKey(yesterday)) return 'Yesterday';
  return `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** Local 24-hour time, e.g. "09:05". */
export function timeLabel(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Full local date and time for the entry view, e.g. "Monday 16 November 2026, 09:05". */
export function dateTimeLabel(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${dayLabel(d, now)}, ${timeLabel(iso)}`;
}

/** Groups entries (already newest first) into consecutive local days, keeping their order. */
export function groupByDay(entries: Entry[], now: Date = new Date()): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const entry of entries) {
    const d = new Date(entry.occurredAt);
    const key = Number.isNaN(d.getTime()) ? 'unknown' : localDayKey(d);
    const last = groups[groups.length - 1];
    if (last && last.key === key) {
      last.entries.push(entry);
    } else {
      groups.push({ key, label: key === 'unknown' ? 'Unknown date' : dayLabel(d, now), entries: [entry] });
    }
  }
  return groups;
}
