import { fireEvent, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Entry, TimelineCursor } from '../lib/bindings';
import { entry, settle } from '../test/backend';
import { openApp } from '../test/journal';

const now = new Date();
const at = (daysAgo: number, h: number, m = 0) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo, h, m).toISOString();

function longAgoLabel(daysAgo: number): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  const weekday = d.toLocaleDateString('en-GB', { weekday: 'long' });
  const month = d.toLocaleDateString('en-GB', { month: 'long' });
  return `${weekday} ${d.getDate()} ${month} ${d.getFullYear()}`;
}

const entryIds = () => screen.queryAllByTestId('timeline-entry').map((el) => el.dataset.entryId);

afterEach(() => vi.useRealTimers());

describe('journal timeline', () => {
  it('groups entries by local day with readable headers', async () => {
    const entries = [
      entry({ id: 'a', occurredAt: at(0, 15, 30), body: 'Lunch with @ann #food', tags: ['food'], people: ['ann'] }),
      entry({ id: 'b', occurredAt: at(0, 9, 5), body: 'Morning run' }),
      entry({ id: 'c', occurredAt: at(1, 21), body: 'Read a book' }),
      entry({ id: 'd', occurredAt: at(4, 8), body: 'Old thought' }),
    ];
    const shell = await openApp({ list_timeline: () => ({ entries, next: null }) });

    expect(shell.callsOf('list_timeline')[0].args).toEqual({ before: null, limit: 50 });
    const timeline = screen.getByTestId('timeline');
    const groups = within(timeline).getAllByTestId('day-group');
    expect(groups.map((g) => within(g).getByTestId('day-header').textContent)).toEqual([
      'Today',
      'Yesterday',
      longAgoLabel(4),
    ]);
    expect(within(groups[0]).getAllByTestId('timeline-entry')).toHaveLength(2);
    const first = within(groups[0]).getAllByTestId('timeline-entry')[0];
    expect(first.textContent).toContain('Lunch with @ann #food');
    expect(first.textContent).toContain('15:30');
    expect(within(first).getByTestId('tag-chip').textContent?.trim()).toBe('#food');
    expect(within(first).getByTestId('person-chip').textContent?.trim()).toBe('@ann');
    expect(entryIds()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('loads older pages with the cursor', async () => {
    const cursor: TimelineCursor = { occurredAt: at(2, 8), id: 'p1-last' };
    const pages: Record<string, { entries: Entry[]; next: TimelineCursor | null }> = {
      first: { entries: [entry({ id: 'p1-last', occurredAt: at(2, 8), body: 'page one' })], next: cursor },
      second: { entries: [entry({ id: 'p2', occurredAt: at(3, 8), body: 'page two' })], next: null },
    };
    const shell = await openApp({
      list_timeline: (a) => (a.before ? pages.second : pages.first),
    });
    expect(entryIds()).toEqual(['p1-last']);
    await fireEvent.click(screen.getByTestId('load-more'));
    await settle();
    expect(shell.callsOf('list_timeline').map((c) => c.args)).toEqual([
      { before: null, limit: 50 },
      { before: cursor, limit: 50 },
    ]);
    expect(entryIds()).toEqual(['p1-last', 'p2']);
    expect(screen.queryByTestId('load-more')).toBeNull();
  });

  it('reloads the timeline on entries-changed', async () => {
    let entries = [entry({ id: 'a', occurredAt: at(0, 9), body: 'first' })];
    const shell = await openApp({ list_timeline: () => ({ entries, next: null }) });
    expect(entryIds()).toEqual(['a']);
    entries = [entry({ id: 'n', occurredAt: at(0, 10), body: 'captured from the hotkey' }), ...entries];
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['n'] });
    await settle();
    expect(shell.callsOf('list_timeline')).toHaveLength(2);
    expect(entryIds()).toEqual(['n', 'a']);
    expect(screen.getByTestId('timeline').textContent).toContain('captured from the hotkey');
  });

  it('saves a new note from the quick box as in_app', async () => {
    const created = entry({ id: 'new', occurredAt: at(0, 11), body: 'quick one' });
    const shell = await openApp({ save_capture: () => ({ captureId: 'c', entry: created }) });
    const box = screen.getByTestId('new-note-input') as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: 'quick one' } });
    await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('save_capture').map((c) => c.args)).toEqual([{ text: 'quick one', surface: 'in_app' }]);
    expect(box.value).toBe('');
    expect(entryIds()).toEqual(['new']);
  });
});

describe('search', () => {
  it('searches (debounced) and returns to the timeline when cleared', async () => {
    const hit = entry({ id: 's', occurredAt: at(3, 9), body: 'plumber called' });
    const shell = await openApp({
      list_timeline: () => ({ entries: [entry({ id: 't', occurredAt: at(0, 9), body: 'timeline' })], next: null }),
      search_entries: () => [hit],
    });
    const input = screen.getByTestId('search-input');
    await fireEvent.input(input, { target: { value: 'plu' } });
    await fireEvent.input(input, { target: { value: 'plumber' } });
    expect(shell.callsOf('search_entries')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(shell.callsOf('search_entries').map((c) => c.args)).toEqual([{ query: 'plumber', limit: 200 }]);
    expect(entryIds()).toEqual(['s']);

    await fireEvent.input(input, { target: { value: '' } });
    await settle();
    expect(entryIds()).toEqual(['t']);
  });

  it('clicking a tag or person chip searches for it', async () => {
    const e = entry({ id: 'a', occurredAt: at(0, 9), body: 'x', tags: ['work'], people: ['bob'] });
    const shell = await openApp({
      list_timeline: () => ({ entries: [e], next: null }),
      search_entries: () => [e],
    });
    await fireEvent.click(screen.getByTestId('tag-chip'));
    await settle();
    expect(shell.callsOf('search_entries').at(-1)?.args).toEqual({ query: '#work', limit: 200 });
    expect((screen.getByTestId('search-input') as HTMLInputElement).value).toBe('#work');
    await fireEvent.click(screen.getByTestId('person-chip'));
    await settle();
    expect(shell.callsOf('search_entries').at(-1)?.args).toEqual({ query: '@bob', limit: 200 });
  });

  it('re-runs the current search on entries-changed', async () => {
    const shell = await openApp({ search_entries: () => [] });
    await fireEvent.input(screen.getByTestId('search-input'), { target: { value: 'tea' } });
    await new Promise((r) => setTimeout(r, 200));
    await settle();
    expect(shell.callsOf('search_entries')).toHaveLength(1);
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['x'] });
    await settle();
    expect(shell.callsOf('search_entries').map((c) => c.args.query)).toEqual(['tea', 'tea']);
  });
});

describe('entry view', () => {
  const e = entry({ id: 'e1', occurredAt: at(0, 9), body: 'original text' });

  it('edits and saves the body with update_entry', async () => {
    const shell = await openApp({
      list_timeline: () => ({ entries: [e], next: null }),
      update_entry: (a) => ({ ...e, body: (a.patch as { body: string }).body }),
    });
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText('original text'));
    const view = screen.getByTestId('entry-view');
    const body = within(view).getByTestId('entry-edit-body') as HTMLTextAreaElement;
    expect(body.value).toBe('original text');
    expect((within(view).getByTestId('entry-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(body, { target: { value: 'edited text' } });
    await fireEvent.click(within(view).getByTestId('entry-save'));
    await settle();
    expect(shell.callsOf('update_entry').map((c) => c.args)).toEqual([{ id: 'e1', patch: { body: 'edited text' } }]);
    expect(screen.getByTestId('timeline-entry').textContent).toContain('edited text');
  });

  it('closes with Esc when there are no unsaved changes', async () => {
    await openApp({ list_timeline: () => ({ entries: [e], next: null }) });
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText('original text'));
    const body = screen.getByTestId('entry-edit-body');
    await fireEvent.input(body, { target: { value: 'unsaved' } });
    await fireEvent.keyDown(body, { key: 'Escape' });
    expect(screen.getByTestId('entry-view')).toBeTruthy();
    await fireEvent.input(body, { target: { value: 'original text' } });
    await fireEvent.keyDown(body, { key: 'Escape' });
    expect(screen.queryByTestId('entry-view')).toBeNull();
  });

  it('deletes only after the inline confirmation', async () => {
    const shell = await openApp({
      list_timeline: () => ({ entries: [e], next: null }),
      delete_entry: () => null,
    });
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText('original text'));
    await fireEvent.click(screen.getByTestId('entry-delete'));
    expect(shell.callsOf('delete_entry')).toHaveLength(0);
    await fireEvent.click(screen.getByTestId('entry-delete-cancel'));
    await fireEvent.click(screen.getByTestId('entry-delete'));
    await fireEvent.click(screen.getByTestId('entry-delete-confirm'));
    await settle();
    expect(shell.callsOf('delete_entry').map((c) => c.args)).toEqual([{ id: 'e1' }]);
    expect(screen.queryByTestId('entry-view')).toBeNull();
    expect(screen.queryAllByTestId('timeline-entry')).toHaveLength(0);
  });
});

describe('status bar', () => {
  it('shows get_status, follows status-changed and refreshes on click', async () => {
    const shell = await openApp({
      get_status: () => ({ entryCount: 12, pendingOps: 3, failedOps: 0, sync: { state: 'localOnly' } }),
      refresh: () => ({ entryCount: 14, pendingOps: 1, failedOps: 0, sync: { state: 'localOnly' } }),
    });
    const text = () => screen.getByTestId('status-text').textContent;
    expect(within(screen.getByTestId('status-bar')).getByTestId('status-text')).toBeTruthy();
    expect(text()).toBe('12 entries · 3 pending changes · Local only');

    await shell.emit('status-changed', {
      type: 'statusChanged',
      status: { entryCount: 13, pendingOps: 0, failedOps: 0, sync: { state: 'localOnly' } },
    });
    await settle();
    expect(text()).toBe('13 entries · 0 pending changes · Local only');

    await fireEvent.click(screen.getByTestId('refresh-button'));
    await settle();
    expect(shell.callsOf('refresh')).toHaveLength(1);
    expect(text()).toBe('14 entries · 1 pending change · Local only');
  });
});

describe('journal damage', () => {
  it('shows what the integrity check found once the status reports it', async () => {
    const shell = await openApp();
    expect(screen.queryByTestId('journal-damage')).toBeNull();
    const damage = 'The journal file /j/jotline.db is damaged (row 3 missing from index entries_timeline).';
    await shell.emit('status-changed', {
      type: 'statusChanged',
      status: { entryCount: 3, pendingOps: 0, failedOps: 0, sync: { state: 'localOnly' }, journalDamage: damage },
    });
    await settle();
    expect(screen.getByTestId('journal-damage').textContent).toBe(damage);
    expect(screen.getByTestId('journal-damage').getAttribute('role')).toBe('alert');
  });
});

describe('settings', () => {
  it('saves the hotkey and shows why registration failed', async () => {
    const shell = await openApp({
      set_capture_hotkey: (a) => ({
        hotkey: a.hotkey,
        registered: false,
        error: 'already registered by another application',
      }),
    });
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    const input = screen.getByTestId('hotkey-input') as HTMLInputElement;
    expect(input.value).toBe('Ctrl+Shift+Space');
    expect(screen.queryByTestId('hotkey-error')).toBeNull();
    await fireEvent.input(input, { target: { value: 'Ctrl+Alt+J' } });
    await fireEvent.click(screen.getByTestId('hotkey-save'));
    await settle();
    expect(shell.callsOf('set_capture_hotkey').map((c) => c.args)).toEqual([{ hotkey: 'Ctrl+Alt+J' }]);
    const error = screen.getByTestId('hotkey-error').textContent ?? '';
    expect(error).toContain('already registered by another application');
    expect(error).toContain('jotline capture');
  });

  it('shows the hotkey-status event from the shell', async () => {
    const shell = await openApp();
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    expect(screen.getByTestId('hotkey-status')).toBeTruthy();
    await shell.emit('hotkey-status', {
      type: 'hotkeyChanged',
      status: { hotkey: 'Ctrl+Shift+Space', registered: false, error: 'Wayland' },
    });
    await settle();
    expect(screen.getByTestId('hotkey-error').textContent).toContain('Wayland');
  });

  it('records a hotkey from a key press', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    await fireEvent.click(screen.getByTestId('hotkey-record'));
    const input = screen.getByTestId('hotkey-input') as HTMLInputElement;
    await fireEvent.keyDown(input, { key: 'K', code: 'KeyK', ctrlKey: true, altKey: true });
    expect(input.value).toBe('Ctrl+Alt+K');
  });
});

describe('startup error', () => {
  it('shows only the error screen with message and path', async () => {
    const shell = await openApp({
      get_startup_error: () => ({
        code: 'database_too_new',
        message: 'The journal was created by a newer Jotline (schema 9, this app knows 3)',
        path: '/home/u/.local/share/jotline/journal.db',
      }),
    });
    const screenEl = screen.getByTestId('startup-error');
    expect(screenEl.textContent).toContain('schema 9, this app knows 3');
    expect(screenEl.textContent).toContain('/home/u/.local/share/jotline/journal.db');
    expect(screen.queryByTestId('timeline')).toBeNull();
    expect(screen.queryByTestId('status-bar')).toBeNull();
    expect(screen.queryByTestId('new-note-input')).toBeNull();
    expect(shell.callsOf('list_timeline')).toHaveLength(0);
  });
});

describe('new note box', () => {
  it('does not save blank text, and keeps the text when saving fails', async () => {
    const shell = await openApp({
      save_capture: () => {
        throw { code: 'too_large', message: 'over 1 MiB' };
      },
    });
    const box = screen.getByTestId('new-note-input') as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: '   ' } });
    await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('save_capture')).toHaveLength(0);

    await fireEvent.input(box, { target: { value: 'huge' } });
    await fireEvent.click(screen.getByTestId('new-note-save'));
    await settle();
    expect(shell.callsOf('save_capture')).toHaveLength(1);
    expect(screen.getByTestId('new-note-error').textContent).toMatch(/1 MiB/);
    expect(box.value).toBe('huge');
  });
});
