import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeShell, settle } from '../test/backend';
import Capture from './Capture.svelte';

const saved = (text: string) => ({
  captureId: 'c1',
  entry: {
    id: 'e1', kind: 'note', title: null, body: text, occurredAt: '2026-11-16T09:00:00Z',
    createdAt: '2026-11-16T09:00:00Z', updatedAt: '2026-11-16T09:00:00Z', tags: [], people: [], voice: null,
    damaged: false,
  },
});

async function openCapture(handlers: Parameters<typeof fakeShell>[1] = {}) {
  const shell = fakeShell('capture', { save_capture: (a) => saved(String(a.text)), cancel_capture: () => null, ...handlers });
  render(Capture);
  await settle();
  const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
  return { shell, input };
}

async function type(input: HTMLTextAreaElement, text: string) {
  await fireEvent.input(input, { target: { value: text } });
}

afterEach(() => vi.useRealTimers());

describe('capture window', () => {
  it('saves with Ctrl+Enter as desktop_hotkey and clears the text', async () => {
    const { shell, input } = await openCapture();
    expect(document.activeElement).toBe(input);
    await type(input, 'Call the plumber #home');
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('save_capture').map((c) => c.args)).toEqual([
      { text: 'Call the plumber #home', surface: 'desktop_hotkey' },
    ]);
    expect(input.value).toBe('');
    expect(screen.queryByTestId('capture-error')).toBeNull();
  });

  it('also saves with Cmd+Enter', async () => {
    const { shell, input } = await openCapture();
    await type(input, 'mac note');
    await fireEvent.keyDown(input, { key: 'Enter', metaKey: true });
    await settle();
    expect(shell.callsOf('save_capture')).toHaveLength(1);
  });

  it('does not save empty or whitespace-only text and shows a hint', async () => {
    const { shell, input } = await openCapture();
    await type(input, '  \n ');
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('save_capture')).toHaveLength(0);
    expect(shell.callsOf('cancel_capture')).toHaveLength(0);
    expect(screen.getByTestId('capture-hint').textContent).toMatch(/empty/i);
  });

  it('shows too_large clearly and keeps the text', async () => {
    const { input } = await openCapture({
      save_capture: () => {
        throw { code: 'too_large', message: 'capture is 1.2 MiB, limit 1 MiB' };
      },
    });
    await type(input, 'a very long note');
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(screen.getByTestId('capture-error').textContent).toMatch(/larger than 1 MiB/);
    expect(input.value).toBe('a very long note');
  });

  it('shows other errors and keeps the text', async () => {
    const { input } = await openCapture({
      save_capture: () => {
        throw { code: 'database_locked', message: 'database is locked' };
      },
    });
    await type(input, 'keep me');
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(screen.getByTestId('capture-error').textContent).toMatch(/locked/);
    expect(input.value).toBe('keep me');
  });

  it('Esc calls cancel_capture and keeps the draft', async () => {
    const { shell, input } = await openCapture();
    await type(input, 'half a thought');
    await fireEvent.keyDown(input, { key: 'Escape' });
    await settle();
    expect(shell.callsOf('cancel_capture')).toHaveLength(1);
    expect(shell.callsOf('save_capture')).toHaveLength(0);
    expect(shell.callsOf('save_draft').at(-1)?.args).toEqual({ text: 'half a thought' });
    // The draft reaches the shell before the window hides.
    const order = shell.calls.map((c) => c.cmd);
    expect(order.lastIndexOf('save_draft')).toBeLessThan(order.indexOf('cancel_capture'));
  });

  it('never writes a stale draft after the capture is saved', async () => {
    vi.useFakeTimers();
    const shell = fakeShell('capture', { save_capture: (a) => saved(String(a.text)) });
    render(Capture);
    await vi.advanceTimersByTimeAsync(10);
    const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
    await type(input, 'a');
    await type(input, 'ab'); // a trailing draft write is now pending
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await vi.advanceTimersByTimeAsync(2000);
    const order = shell.calls.filter((c) => c.cmd === 'save_draft' || c.cmd === 'save_capture');
    expect(order.map((c) => [c.cmd, c.args.text])).toEqual([
      ['save_draft', 'a'],
      ['save_capture', 'ab'],
    ]);
    expect(input.value).toBe('');
  });

  it('restores the draft on load', async () => {
    const { input } = await openCapture({ load_draft: () => 'unfinished idea' });
    expect(input.value).toBe('unfinished idea');
  });

  it('saves the draft while typing, throttled, with a trailing write', async () => {
    vi.useFakeTimers();
    const shell = fakeShell('capture');
    render(Capture);
    await vi.advanceTimersByTimeAsync(10);
    const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
    const drafts = () => shell.callsOf('save_draft').map((c) => c.args.text);

    await type(input, 'h');
    await vi.advanceTimersByTimeAsync(0);
    expect(drafts()).toEqual(['h']);
    await vi.advanceTimersByTimeAsync(100);
    await type(input, 'he');
    await vi.advanceTimersByTimeAsync(100);
    await type(input, 'hel');
    await vi.advanceTimersByTimeAsync(100);
    expect(drafts()).toEqual(['h']);
    await vi.advanceTimersByTimeAsync(250);
    expect(drafts()).toEqual(['h', 'hel']);

    // Continuous typing for 2 s writes at least once a second.
    for (let i = 0; i < 20; i++) {
      await type(input, `hel${'l'.repeat(i + 1)}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(drafts().length).toBeGreaterThanOrEqual(2 + 2);
    await vi.advanceTimersByTimeAsync(600);
    expect(drafts().at(-1)).toBe(`hel${'l'.repeat(20)}`);
  });

  it('saves the draft on blur', async () => {
    vi.useFakeTimers();
    const shell = fakeShell('capture');
    render(Capture);
    await vi.advanceTimersByTimeAsync(10);
    const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
    await type(input, 'a');
    await type(input, 'ab');
    await vi.advanceTimersByTimeAsync(0);
    await fireEvent.blur(input);
    await vi.advanceTimersByTimeAsync(0);
    expect(shell.callsOf('save_draft').map((c) => c.args.text)).toEqual(['a', 'ab']);
  });

  it('reloads the draft when shown again with an empty editor', async () => {
    let draft: string | null = null;
    const { shell, input } = await openCapture({ load_draft: () => draft });
    expect(input.value).toBe('');
    draft = 'from the command line';
    await shell.emit('capture-shown', null);
    await settle();
    expect(input.value).toBe('from the command line');
    expect(document.activeElement).toBe(input);
  });

  it('shows the startup error instead of the editor', async () => {
    fakeShell('capture', {
      get_startup_error: () => ({ code: 'database_locked', message: 'The journal is locked by another process', path: '/home/u/.local/share/jotline/journal.db' }),
    });
    render(Capture);
    await settle();
    expect(screen.queryByTestId('capture-input')).toBeNull();
    expect(screen.getByTestId('startup-error').textContent).toContain('The journal is locked by another process');
  });

  it('warns when the note nears the 1 MiB limit', async () => {
    const { input } = await openCapture();
    await type(input, 'short');
    expect(screen.queryByTestId('capture-size-warning')).toBeNull();
    await type(input, 'x'.repeat(1000 * 1024));
    expect(screen.getByTestId('capture-size-warning').textContent).toMatch(/nearing the limit/);
    await type(input, 'x'.repeat(1024 * 1024 + 1));
    expect(screen.getByTestId('capture-size-warning').textContent).toMatch(/too large/);
  });

  it('links to the journal window', async () => {
    const { shell } = await openCapture({ show_main_window: () => null });
    await fireEvent.click(screen.getByTestId('open-journal'));
    await settle();
    expect(shell.callsOf('show_main_window')).toHaveLength(1);
  });
});
