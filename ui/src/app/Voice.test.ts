import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { Entry, VoiceMemo } from '../lib/bindings';
import { entry, settle } from '../test/backend';
import { openApp } from '../test/journal';

const today = (h: number) => {
  const n = new Date();
  return new Date(n.getFullYear(), n.getMonth(), n.getDate(), h).toISOString();
};

const memo = (partial: Partial<VoiceMemo> = {}): VoiceMemo => ({
  captureId: 'cap1',
  status: 'pending',
  error: null,
  retryCount: 0,
  durationMs: 42_400,
  recovered: false,
  audioFile: '/home/u/.local/share/jotline/audio/cap1.wav',
  ...partial,
});

const item = (id: string) =>
  screen.getAllByTestId('timeline-entry').find((el) => el.dataset.entryId === id) as HTMLElement;

describe('voice memos in the journal', () => {
  it('shows each status, the duration, the recovered marker and a "Voice memo" placeholder', async () => {
    const entries: Entry[] = [
      entry({ id: 'p', occurredAt: today(9), body: '', voice: memo({ status: 'pending' }) }),
      entry({ id: 'u', occurredAt: today(8), body: '', voice: memo({ status: 'uploading' }) }),
      entry({ id: 't', occurredAt: today(7), body: '', voice: memo({ status: 'parsing', recovered: true }) }),
      entry({ id: 'r', occurredAt: today(6), body: 'Buy milk #errands', voice: memo({ status: 'ready' }) }),
      entry({ id: 'f', occurredAt: today(5), body: '', voice: memo({ status: 'error', error: 'HTTP 401' }) }),
      entry({ id: 'n', occurredAt: today(4), body: 'typed note' }),
    ];
    await openApp({ list_timeline: () => ({ entries, next: null }) });
    const status = (id: string) => within(item(id)).getByTestId('voice-status').textContent?.trim();
    expect(status('p')).toBe('Waiting to upload');
    expect(status('u')).toBe('Uploading…');
    expect(status('t')).toBe('Transcribing…');
    expect(status('r')).toBe('Ready');
    expect(status('f')).toBe('Failed: HTTP 401');
    expect(within(item('n')).queryByTestId('voice-status')).toBeNull();

    expect(within(item('t')).getByTestId('voice-recovered')).toBeTruthy();
    expect(within(item('p')).queryByTestId('voice-recovered')).toBeNull();
    expect(within(item('p')).getByTestId('voice-duration').textContent).toBe('0:42');
    expect(within(item('p')).getByTestId('entry-body').textContent).toBe('Voice memo');
    expect(within(item('r')).getByTestId('entry-body').textContent).toBe('Buy milk #errands');

    expect(within(item('f')).getByTestId('voice-retry')).toBeTruthy();
    expect(within(item('r')).queryByTestId('voice-retry')).toBeNull();
  });

  it('plays the local recording, fetched through the asset protocol, and only when there is one', async () => {
    const entries = [
      entry({ id: 'local', occurredAt: today(9), body: '', voice: memo() }),
      entry({ id: 'remote', occurredAt: today(8), body: '', voice: memo({ captureId: 'c2', audioFile: null }) }),
    ];
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(new Blob([new Uint8Array([82, 73, 70, 70])], { type: 'audio/wav' }));
    });
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:memo-1');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    await openApp({ list_timeline: () => ({ entries, next: null }) });
    expect(within(item('local')).queryByTestId('voice-audio')).toBeNull();
    await fireEvent.click(within(item('local')).getByTestId('voice-play'));
    await settle();
    expect(fetched).toEqual([`asset://localhost/${encodeURIComponent('/home/u/.local/share/jotline/audio/cap1.wav')}`]);
    expect(created).toHaveBeenCalledOnce();
    const audio = within(item('local')).getByTestId('voice-audio') as HTMLAudioElement;
    expect(audio.getAttribute('src')).toBe('blob:memo-1');
    expect(audio.hasAttribute('controls')).toBe(true);
    expect(within(item('remote')).queryByTestId('voice-play')).toBeNull();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('retries a failed memo from the entry view and shows the new status', async () => {
    let voice = memo({ status: 'error', error: 'transcription service unreachable', retryCount: 5 });
    const current = () => entry({ id: 'v', occurredAt: today(9), body: '', voice });
    const shell = await openApp({
      list_timeline: () => ({ entries: [current()], next: null }),
      get_entry: () => current(),
      retry_capture: () => {
        voice = memo({ status: 'pending' });
        return null;
      },
    });
    await fireEvent.click(within(item('v')).getByText('Voice memo'));
    const view = screen.getByTestId('entry-view');
    expect(within(view).getByTestId('voice-status').textContent?.trim()).toBe(
      'Failed: transcription service unreachable',
    );
    expect((within(view).getByTestId('entry-edit-body') as HTMLTextAreaElement).placeholder).toBe('Voice memo');
    expect(within(view).getByTestId('voice-play')).toBeTruthy();

    await fireEvent.click(within(view).getByTestId('voice-retry'));
    await settle();
    expect(shell.callsOf('retry_capture').map((c) => c.args)).toEqual([{ captureId: 'cap1' }]);
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['v'] });
    await settle();
    expect(within(screen.getByTestId('entry-view')).getByTestId('voice-status').textContent?.trim()).toBe(
      'Waiting to upload',
    );
    expect(within(item('v')).queryByTestId('voice-retry')).toBeNull();
  });

  it('shows a failed retry next to the memo', async () => {
    const entries = [entry({ id: 'v', occurredAt: today(9), body: '', voice: memo({ status: 'error', error: 'x' }) })];
    await openApp({
      list_timeline: () => ({ entries, next: null }),
      retry_capture: () => {
        throw { code: 'not_found', message: 'no such capture' };
      },
    });
    await fireEvent.click(within(item('v')).getByTestId('voice-retry'));
    await settle();
    expect(within(item('v')).getByTestId('voice-retry-error').textContent).toBeTruthy();
  });
});

