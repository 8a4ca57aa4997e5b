import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { MICROPHONE_REFRESH_MS } from '../lib/voice';
import type { Microphone, Settings } from '../lib/bindings';
import { SETTINGS, settle, type Handler } from '../test/backend';
import { openSettings } from '../test/journal';

const MICS: Microphone[] = [
  { name: 'Built-in Audio', isDefault: true },
  { name: 'USB Mic', isDefault: false },
];

function openVoiceSettings(handlers: Record<string, Handler> = {}) {
  return openSettings({
    list_microphones: () => MICS,
    set_voice_settings: (a) => ({ ...SETTINGS, ...(a.settings as object) }),
    set_transcription_key: () => null,
    ...handlers,
  });
}

const field = <T extends HTMLElement = HTMLInputElement>(id: string) => screen.getByTestId(id) as T;

describe('voice settings', () => {
  it('shows the saved settings and the microphones, with System default first', async () => {
    const saved: Settings = { ...SETTINGS, voiceMode: 'pushToTalk', voiceMaxMinutes: 20, microphone: 'USB Mic', transcriptionUrl: 'https://stt.example' };
    await openVoiceSettings({ get_settings: () => saved });
    expect(field('voice-hotkey').value).toBe('Ctrl+Shift+V');
    expect(field<HTMLSelectElement>('voice-mode').value).toBe('pushToTalk');
    expect(field('voice-max-minutes').value).toBe('20');
    const mic = field<HTMLSelectElement>('voice-microphone');
    expect([...mic.options].map((o) => o.textContent)).toEqual(['System default', 'Built-in Audio (default)', 'USB Mic']);
    expect(mic.value).toBe('USB Mic');
    expect(field('transcription-url').value).toBe('https://stt.example');
    expect(field('transcription-key').value).toBe('');
    expect(field('transcription-key').placeholder).toBe('stored in the system keyring');
    expect(field('transcription-key').type).toBe('password');
    expect(screen.getByTestId('voice-settings').textContent?.replace(/\s+/g, ' ')).toContain(
      'Leave the URL empty to let your backend transcribe (when signed in). Offline or unconfigured, memos wait and are never dropped.',
    );
    expect(screen.queryByTestId('voice-no-microphone')).toBeNull();
  });

  it('lists the microphones again while open, so a device plugged in shows up', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let mics: Microphone[] = [];
      await openVoiceSettings({ list_microphones: () => mics });
      expect(screen.getByTestId('voice-no-microphone')).toBeTruthy();
      mics = MICS;
      vi.advanceTimersByTime(MICROPHONE_REFRESH_MS);
      await settle();
      const options = [...field<HTMLSelectElement>('voice-microphone').options].map((o) => o.textContent);
      expect(options).toContain('USB Mic');
      expect(screen.queryByTestId('voice-no-microphone')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('saves the voice settings, and the API key only through set_transcription_key', async () => {
    const shell = await openVoiceSettings();
    await fireEvent.input(field('voice-hotkey'), { target: { value: 'Alt+V' } });
    await fireEvent.change(field<HTMLSelectElement>('voice-mode'), { target: { value: 'pushToTalk' } });
    await fireEvent.input(field('voice-max-minutes'), { target: { value: '15' } });
    await fireEvent.change(field<HTMLSelectElement>('voice-microphone'), { target: { value: 'USB Mic' } });
    await fireEvent.input(field('transcription-url'), { target: { value: ' https://api.openai.com ' } });
    await fireEvent.input(field('transcription-model'), { target: { value: 'whisper-1' } });
    await fireEvent.input(field('transcription-key'), { target: { value: 'sk-secret' } });
    await fireEvent.click(screen.getByTestId('voice-settings-save'));
    await settle();
    expect(shell.callsOf('set_voice_settings').map((c) => c.args.settings)).toEqual([
      {
        voiceHotkey: 'Alt+V',
        voiceMode: 'pushToTalk',
        voiceMaxMinutes: 15,
        microphone: 'USB Mic',
        transcriptionUrl: 'https://api.openai.com',
        transcriptionModel: 'whisper-1',
      },
    ]);
    expect(shell.callsOf('set_transcription_key').map((c) => c.args)).toEqual([{ key: 'sk-secret' }]);
    expect(JSON.stringify(shell.callsOf('set_voice_settings'))).not.toContain('sk-secret');
    expect(field('transcription-key').value).toBe('');
    expect(screen.getByTestId('voice-settings-notice').textContent).toMatch(/saved/);

    // System default is sent as null; an empty key field leaves the stored key alone.
    await fireEvent.change(field<HTMLSelectElement>('voice-microphone'), { target: { value: '' } });
    await fireEvent.click(screen.getByTestId('voice-settings-save'));
    await settle();
    expect((shell.callsOf('set_voice_settings')[1].args.settings as { microphone: unknown }).microphone).toBeNull();
    expect(shell.callsOf('set_transcription_key')).toHaveLength(1);
  });

  it('removes the API key from the keyring', async () => {
    const shell = await openVoiceSettings();
    await fireEvent.click(screen.getByTestId('transcription-key-clear'));
    await settle();
    expect(shell.callsOf('set_transcription_key').map((c) => c.args)).toEqual([{ key: null }]);
  });

  it('says when no microphone is found, and keeps a saved one that is unplugged', async () => {
    await openVoiceSettings({ list_microphones: () => [], get_settings: () => ({ ...SETTINGS, microphone: 'USB Mic' }) });
    expect(screen.getByTestId('voice-no-microphone').textContent).toContain('No microphone found');
    const mic = field<HTMLSelectElement>('voice-microphone');
    expect([...mic.options].map((o) => o.textContent)).toEqual(['System default', 'USB Mic (not connected)']);
    expect(mic.value).toBe('USB Mic');
  });

  it('shows what the shell refused and sends no key then', async () => {
    const shell = await openVoiceSettings({
      set_voice_settings: () => {
        throw { code: 'invalid_input', message: 'voiceMaxMinutes must be between 1 and 120' };
      },
    });
    await fireEvent.input(field('transcription-key'), { target: { value: 'sk-x' } });
    await fireEvent.click(screen.getByTestId('voice-settings-save'));
    await settle();
    expect(screen.getByTestId('voice-settings-error').textContent).toBe('voiceMaxMinutes must be between 1 and 120');
    expect(shell.callsOf('set_transcription_key')).toHaveLength(0);
    expect(field('transcription-key').value).toBe('sk-x');
  });
});
