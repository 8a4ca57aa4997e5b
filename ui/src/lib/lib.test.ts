import { afterEach, describe, expect, it, vi } from 'vitest';
import { entry, localIso } from '../test/backend';
import { dayLabel, groupByDay, timeLabel } from './days';
import { acceleratorFromEvent } from './hotkey';
import { nearLimitBytes, utf8Bytes, WARN_NOTE_BYTES } from './text';
import { throttle } from './throttle';
import { appendPage, mergeFirstPage, upsertEntry } from './timeline';
import { formatDuration, formatElapsed, meterLevel } from './voice';

const now = new Date(2026, 10, 18, 15, 30); // Wednesday 18 November 2026, local

describe('days', () => {
  it('labels today, yesterday and older days', () => {
    expect(dayLabel(new Date(2026, 10, 18, 0, 1), now)).toBe('Today');
    expect(dayLabel(new Date(2026, 10, 17, 23, 59), now)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 10, 16, 9, 0), now)).toBe('Monday 16 November 2026');
    expect(dayLabel(new Date(2025, 0, 1), now)).toBe('Wednesday 1 January 2025');
  });

  it('formats local 24h time', () => {
    expect(timeLabel(localIso(2026, 11, 16, 9, 5))).toBe('09:05');
  });

  it('groups consecutive entries by local day, keeping order', () => {
    const a = entry({ occurredAt: localIso(2026, 11, 18, 14), body: 'a' });
    const b = entry({ occurredAt: localIso(2026, 11, 18, 8), body: 'b' });
    const c = entry({ occurredAt: localIso(2026, 11, 17, 22), body: 'c' });
    const d = entry({ occurredAt: localIso(2026, 11, 16, 9), body: 'd' });
    const groups = groupByDay([a, b, c, d], now);
    expect(groups.map((g) => [g.label, g.entries.map((e) => e.body)])).toEqual([
      ['Today', ['a', 'b']],
      ['Yesterday', ['c']],
      ['Monday 16 November 2026', ['d']],
    ]);
  });
});

describe('timeline merging', () => {
  const e = (id: string, h: number) => entry({ id, occurredAt: localIso(2026, 11, 18, h), body: id });

  it('appendPage skips duplicates', () => {
    expect(appendPage([e('a', 9), e('b', 8)], [e('b', 8), e('c', 7)]).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('mergeFirstPage keeps older loaded entries and drops ones now covered by the page', () => {
    const current = [e('a', 20), e('b', 19), e('c', 10), e('d', 9)];
    const first = [e('n', 21), e('a', 20), e('c', 10)]; // b was deleted
    expect(mergeFirstPage(current, first, false).map((x) => x.id)).toEqual(['n', 'a', 'c', 'd']);
    expect(mergeFirstPage(current, first, true).map((x) => x.id)).toEqual(['n', 'a', 'c']);
  });

  it('upsertEntry places an entry by time', () => {
    expect(upsertEntry([e('a', 20), e('c', 10)], e('b', 15)).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('throttle', () => {
  afterEach(() => vi.useRealTimers());

  it('runs at once, then at most every interval, with a trailing call for the last value', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = throttle(fn, 500);
    t('a');
    t('ab');
    t('abc');
    expect(fn.mock.calls).toEqual([['a']]);
    vi.advanceTimersByTime(500);
    expect(fn.mock.calls).toEqual([['a'], ['abc']]);
    t('abcd');
    t.flush();
    expect(fn.mock.calls.at(-1)).toEqual(['abcd']);
    t('x');
    t.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn.mock.calls.at(-1)).toEqual(['abcd']);
  });
});

describe('hotkey recorder', () => {
  const key = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
    code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods,
  });

  it('builds accelerators from key presses', () => {
    expect(acceleratorFromEvent(key('Space', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+Space');
    expect(acceleratorFromEvent(key('KeyJ', { altKey: true }))).toBe('Alt+J');
    expect(acceleratorFromEvent(key('F5', { metaKey: true }))).toBe('Super+F5');
    expect(acceleratorFromEvent(key('ShiftLeft', { shiftKey: true }))).toBeNull();
  });
});

describe('size limit', () => {
  it('counts UTF-8 bytes and only reports sizes near the limit', () => {
    expect(utf8Bytes('é')).toBe(2);
    expect(nearLimitBytes('short')).toBeNull();
    expect(nearLimitBytes('x'.repeat(WARN_NOTE_BYTES))).toBe(WARN_NOTE_BYTES);
  });
});

describe('voice', () => {
  it('formats the recording clock as mm:ss and memo lengths as m:ss', () => {
    expect(formatElapsed(0)).toBe('00:00');
    expect(formatElapsed(59_999)).toBe('00:59');
    expect(formatElapsed(600_000)).toBe('10:00');
    expect(formatElapsed(6_000_000)).toBe('100:00');
    expect(formatDuration(42_400)).toBe('0:42');
    expect(formatDuration(725_000)).toBe('12:05');
  });

  it('maps levels to the meter on a decibel scale', () => {
    expect(meterLevel(0)).toBe(0);
    expect(meterLevel(Number.NaN)).toBe(0);
    expect(meterLevel(0.0005)).toBe(0);
    expect(meterLevel(0.001)).toBeCloseTo(0);
    expect(meterLevel(0.1)).toBeCloseTo(2 / 3);
    expect(meterLevel(1)).toBe(1);
    expect(meterLevel(3)).toBe(1);
  });
});
