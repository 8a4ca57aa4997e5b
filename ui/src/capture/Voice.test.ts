import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { RecordingStatus } from '../lib/bindings';
import { fakeShell, settle, type Handler } from '../test/backend';
import Capture from './Capture.svelte';

const rec = (partial: Partial<RecordingStatus> = {}): RecordingStatus => ({
  captureId: 'v1',
  active: true,
  elapsedMs: 0,
  rms: 0,
  peak: 0,
  silent: false,
  notice: null,
  ...partial,
});

const saved = {
  captureId: 'v1',
  entry: {
    id: 'e1', kind: 'note', title: null, body: '', occurredAt: '2026-11-16T09:00:00Z',
    createdAt: '2026-11-16T09:00:00Z', updatedAt: '2026-11-16T09:00:00Z', tags: [], people: [],
    voice: { captureId: 'v1', status: 'pending', error: null, retryCount: 0, durationMs: 4000, recovered: false, audioFile: '/a/v1.wav' },
    damaged: false,
  },
};

async function openCapture(handlers: Record<string, Handler> = {}) {
  const shell = fakeShell('capture', {
    start_voice_capture: () => 'v1',
    stop_voice_capture: () => saved,
    cancel_voice_capture: () => null,
    cancel_capture: () => null,
    ...handlers,
  });
  render(Capture);
  await settle();
  return shell;
}

const level = () => screen.getByTestId('voice-level');

describe('capture window, voice mode', () => {
  it('records from the Record button, shows time and level, and saves with Stop', async () => {
    const shell = await openCapture();
    await fireEvent.click(screen.getByTestId('voice-record'));
    await settle();
    expect(shell.callsOf('start_voice_capture')).toHaveLength(1);
    expect(screen.queryByTestId('capture-input')).toBeNull();
    expect(screen.getByTestId('voice-elapsed').textContent).toBe('00:00');
    expect(document.activeElement).toBe(screen.getByTestId('voice-stop'));
    expect(level().getAttribute('aria-valuenow')).toBe('0');

    await shell.emit('recording', { type: 'recordingChanged', status: rec({ elapsedMs: 65_400, rms: 0.1, peak: 0.5 }) });
    await settle();
    expect(screen.getByTestId('voice-elapsed').textContent).toBe('01:05');
    expect(level().getAttribute('role')).toBe('meter');
    const now = Number(level().getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThan(50);
    expect(now).toBeLessThan(100);
    expect((level().querySelector('.bar') as HTMLElement).style.width).toBe(`${now}%`);
    expect(screen.queryByTestId('voice-silent')).toBeNull();

    await fireEvent.click(screen.getByTestId('voice-stop'));
    await settle();
    expect(shell.callsOf('stop_voice_capture')).toHaveLength(1);
    expect(shell.callsOf('cancel_voice_capture')).toHaveLength(0);
    // The shell hides the window (as after a text save); the editor is back for next time.
    expect(shell.callsOf('cancel_capture')).toHaveLength(0);
    expect(screen.getByTestId('capture-input')).toBeTruthy();
    expect(screen.queryByTestId('voice-recorder')).toBeNull();
  });

  it('enters voice mode from hotkey-started recording events and stops with Ctrl+Enter', async () => {
    const shell = await openCapture();
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ elapsedMs: 2000 }) });
    await settle();
    expect(screen.getByTestId('voice-elapsed').textContent).toBe('00:02');
    expect(shell.callsOf('start_voice_capture')).toHaveLength(0);
    await fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('stop_voice_capture')).toHaveLength(1);
    expect(shell.callsOf('save_capture')).toHaveLength(0);
    // A late level event of the stopped capture does not reopen voice mode.
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ elapsedMs: 2050 }) });
    await settle();
    expect(screen.queryByTestId('voice-recorder')).toBeNull();
  });

  it('picks up a recording in progress when the window opens', async () => {
    await openCapture({ get_recording: () => rec({ elapsedMs: 125_000 }) });
    expect(screen.getByTestId('voice-elapsed').textContent).toBe('02:05');
  });

  it('Esc discards the recording and keeps the text draft', async () => {
    const shell = await openCapture();
    const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
    await fireEvent.input(input, { target: { value: 'typed before' } });
    await shell.emit('recording', { type: 'recordingChanged', status: rec() });
    await settle();
    await fireEvent.keyDown(window, { key: 'Escape' });
    await settle();
    expect(shell.callsOf('cancel_voice_capture')).toHaveLength(1);
    expect(shell.callsOf('stop_voice_capture')).toHaveLength(0);
    expect(shell.callsOf('save_draft').at(-1)?.args).toEqual({ text: 'typed before' });
    // The draft reaches the shell before the window hides.
    const order = shell.calls.map((c) => c.cmd);
    expect(order.lastIndexOf('save_draft')).toBeLessThan(order.indexOf('cancel_voice_capture'));
    expect((screen.getByTestId('capture-input') as HTMLTextAreaElement).value).toBe('typed before');
  });

  it('warns when the microphone hears nothing, and shows notices', async () => {
    const shell = await openCapture();
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ silent: true }) });
    await settle();
    expect(screen.getByTestId('voice-silent').textContent).toBe('No sound — is the microphone muted?');
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ notice: 'Microphone disconnected; now using the default input' }) });
    await settle();
    expect(screen.queryByTestId('voice-silent')).toBeNull();
    expect(screen.getByTestId('voice-notice').textContent).toContain('Microphone disconnected');
  });

  it('leaves voice mode when the shell ends the recording and keeps its notice', async () => {
    const shell = await openCapture();
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ elapsedMs: 599_950 }) });
    await settle();
    await shell.emit('recording', { type: 'recordingChanged', status: rec({ active: false, elapsedMs: 600_000, notice: 'Recording stopped at the 10-minute limit' }) });
    await settle();
    expect(screen.queryByTestId('voice-recorder')).toBeNull();
    expect(screen.getByTestId('capture-input')).toBeTruthy();
    expect(screen.getByTestId('voice-notice').textContent).toBe('Recording stopped at the 10-minute limit');
    expect(shell.callsOf('stop_voice_capture')).toHaveLength(0);
  });

  it('shows a missing microphone clearly and text capture keeps working', async () => {
    const shell = await openCapture({
      start_voice_capture: () => {
        throw { code: 'audio_device', message: 'No microphone found. Connect one and try again.' };
      },
      save_capture: () => saved,
    });
    await fireEvent.click(screen.getByTestId('voice-record'));
    await settle();
    expect(screen.getByTestId('voice-error').textContent).toBe('No microphone found. Connect one and try again.');
    const input = screen.getByTestId('capture-input') as HTMLTextAreaElement;
    await fireEvent.input(input, { target: { value: 'typed instead' } });
    await fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });
    await settle();
    expect(shell.callsOf('save_capture').map((c) => c.args)).toEqual([{ text: 'typed instead', surface: 'desktop_hotkey' }]);
  });

  it('shows why a hotkey-started recording could not start', async () => {
    const shell = await openCapture();
    await shell.emit('recording-error', {
      type: 'recordingFailed',
      error: { code: 'audio_device', message: 'No microphone found.' },
    });
    await settle();
    expect(screen.getByTestId('voice-error').textContent).toBe('No microphone found.');
    expect(screen.getByTestId('capture-input')).toBeTruthy();
    // Shown again later for a new capture, the window starts clean.
    await shell.emit('capture-shown', null);
    await settle();
    expect(screen.queryByTestId('voice-error')).toBeNull();
  });

  it('returns to the editor with the error when stopping fails and nothing records anymore', async () => {
    const shell = await openCapture({
      stop_voice_capture: () => {
        throw { code: 'storage', message: 'disk full' };
      },
      get_recording: () => null,
    });
    await shell.emit('recording', { type: 'recordingChanged', status: rec() });
    await settle();
    await fireEvent.click(screen.getByTestId('voice-stop'));
    await settle();
    expect(screen.getByTestId('voice-error').textContent).toBe('disk full');
    expect(shell.callsOf('cancel_capture')).toHaveLength(0);
    expect(screen.getByTestId('capture-input')).toBeTruthy();
  });

  it('keeps the recorder when stop fails and the recording goes on', async () => {
    let stopCalls = 0;
    const shell = await openCapture({
      stop_voice_capture: () => {
        stopCalls += 1;
        if (stopCalls === 1) throw { code: 'internal', message: 'busy' };
        return saved;
      },
      get_recording: () => rec({ elapsedMs: 3000 }),
    });
    await settle();
    await fireEvent.click(screen.getByTestId('voice-stop'));
    await settle();
    expect(screen.getByTestId('voice-error').textContent).toBe('busy');
    expect(screen.getByTestId('voice-recorder')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('voice-stop'));
    await settle();
    expect(shell.callsOf('stop_voice_capture')).toHaveLength(2);
    expect(screen.queryByTestId('voice-recorder')).toBeNull();
  });
});
