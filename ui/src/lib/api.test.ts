import { describe, expect, it, vi } from 'vitest';
import { fakeShell } from '../test/backend';
import * as api from './api';
import apiSource from './api.ts?raw';

describe('api.ts commands', () => {
  it('calls each shell command by name with camelCase args', async () => {
    const shell = fakeShell('main', new Proxy({}, { get: () => () => 'ok' }));
    const cursor = { occurredAt: '2026-11-16T09:00:00Z', id: 'x' };
    await api.listTimeline(cursor, 50);
    await api.searchEntries('#work @ann', 20);
    await api.getEntry('e1');
    await api.updateEntry('e1', { body: 'new' });
    await api.deleteEntry('e1');
    await api.saveCapture('hello', 'desktop_hotkey');
    await api.cancelCapture();
    await api.saveDraft('dr');
    await api.loadDraft();
    await api.getStatus();
    await api.refresh();
    await api.getSettings();
    await api.setCaptureHotkey('Alt+J');
    await api.getHotkeyStatus();
    await api.getStartupError();
    await api.showMainWindow();
    expect(shell.calls.map((c) => [c.cmd, c.args])).toEqual([
      ['list_timeline', { before: cursor, limit: 50 }],
      ['search_entries', { query: '#work @ann', limit: 20 }],
      ['get_entry', { id: 'e1' }],
      ['update_entry', { id: 'e1', patch: { body: 'new' } }],
      ['delete_entry', { id: 'e1' }],
      ['save_capture', { text: 'hello', surface: 'desktop_hotkey' }],
      ['cancel_capture', {}],
      ['save_draft', { text: 'dr' }],
      ['load_draft', {}],
      ['get_status', {}],
      ['refresh', {}],
      ['get_settings', {}],
      ['set_capture_hotkey', { hotkey: 'Alt+J' }],
      ['get_hotkey_status', {}],
      ['get_startup_error', {}],
      ['show_main_window', {}],
    ]);
  });

  it('returns the command result', async () => {
    fakeShell('main', { get_status: () => ({ entryCount: 7, pendingOps: 2, failedOps: 0, sync: { state: 'localOnly' } }) });
    await expect(api.getStatus()).resolves.toEqual({ entryCount: 7, pendingOps: 2, failedOps: 0, sync: { state: 'localOnly' } });
  });

  it('writes every invoke literally, so the shell test can parse the names', () => {
    const names = [...apiSource.matchAll(/invoke(?:<[^>]*>)?\('([a-z_]+)'/g)].map((m) => m[1]);
    expect(names.sort()).toEqual(
      [
        'cancel_capture', 'delete_entry', 'get_entry', 'get_hotkey_status', 'get_settings',
        'get_startup_error', 'get_status', 'list_timeline', 'load_draft', 'refresh', 'save_capture',
        'save_draft', 'search_entries', 'set_capture_hotkey', 'show_main_window', 'update_entry',
        'get_account', 'set_sync_settings', 'sign_up', 'sign_in', 'sign_out', 'get_sync_details',
        'full_resync', 'retry_dead_letter', 'retry_all_dead_letters', 'discard_dead_letter',
        'set_sync_paused', 'start_voice_capture', 'stop_voice_capture', 'cancel_voice_capture', 'get_recording',
        'retry_capture', 'list_microphones', 'set_voice_settings', 'set_transcription_key',
        'dismiss_welcome', 'set_start_at_login', 'default_export_folder', 'choose_export_folder',
        'export_journal', 'list_devices', 'forget_device', 'set_device_name', 'get_entry_delivery',
      ].sort(),
    );
  });
});

describe('api.ts sync and account', () => {
  it('passes the sync arguments by their Rust names', async () => {
    const shell = fakeShell('main', {
      set_sync_settings: (a) => ({ captureHotkey: 'x', ...a }),
      sign_up: () => ({ email: 'a@x', userId: 'u' }),
      sign_in: () => ({ email: 'a@x', userId: 'u' }),
      sign_out: () => null,
      get_account: () => null,
      get_sync_details: () => ({ pending: [], pendingTotal: 0, deadLetters: [] }),
      full_resync: () => null,
      retry_dead_letter: () => null,
      retry_all_dead_letters: () => 3,
      discard_dead_letter: () => null,
    });
    await api.setSyncSettings('https://b', 'anon', 5);
    await api.signUp('a@x', 'pw');
    await api.signIn('a@x', 'pw', true);
    await api.signOut();
    await api.getAccount();
    await api.getSyncDetails();
    await api.fullResync();
    await api.retryDeadLetter(7);
    await expect(api.retryAllDeadLetters()).resolves.toBe(3);
    await api.discardDeadLetter(8);
    expect(shell.calls.map((c) => [c.cmd, c.args])).toEqual([
      ['set_sync_settings', { backendUrl: 'https://b', anonKey: 'anon', syncIntervalMinutes: 5 }],
      ['sign_up', { email: 'a@x', password: 'pw', discardPending: false }],
      ['sign_in', { email: 'a@x', password: 'pw', discardPending: true }],
      ['sign_out', {}],
      ['get_account', {}],
      ['get_sync_details', {}],
      ['full_resync', {}],
      ['retry_dead_letter', { opSeq: 7 }],
      ['retry_all_dead_letters', {}],
      ['discard_dead_letter', { opSeq: 8 }],
    ]);
  });

  it('keeps the other-user refusal code', async () => {
    fakeShell('main', {
      sign_in: () => {
        throw { code: 'pending_changes_of_other_user', message: '2 unsynced changes' };
      },
    });
    const err = await api.signIn('b@x', 'pw').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'pending_changes_of_other_user' });
  });
});

describe('api.ts voice', () => {
  it('passes the voice arguments by their Rust names', async () => {
    const shell = fakeShell('main', new Proxy({}, { get: () => () => null }));
    const voice = {
      voiceHotkey: 'Ctrl+Shift+V',
      voiceMode: 'pushToTalk' as const,
      voiceMaxMinutes: 15,
      microphone: 'USB Mic',
      transcriptionUrl: 'https://stt.example',
      transcriptionModel: 'whisper-1',
    };
    await api.startVoiceCapture();
    await api.stopVoiceCapture();
    await api.cancelVoiceCapture();
    await api.getRecording();
    await api.retryCapture('cap1');
    await api.listMicrophones();
    await api.setVoiceSettings({ ...voice, extra: 'dropped' } as typeof voice);
    await api.setTranscriptionKey('sk-1');
    await api.setTranscriptionKey(null);
    expect(shell.calls.map((c) => [c.cmd, c.args])).toEqual([
      ['start_voice_capture', {}],
      ['stop_voice_capture', {}],
      ['cancel_voice_capture', {}],
      ['get_recording', {}],
      ['retry_capture', { captureId: 'cap1' }],
      ['list_microphones', {}],
      ['set_voice_settings', { settings: voice }],
      ['set_transcription_key', { key: 'sk-1' }],
      ['set_transcription_key', { key: null }],
    ]);
  });

  it('keeps the audio_device code', async () => {
    fakeShell('capture', {
      start_voice_capture: () => {
        throw { code: 'audio_device', message: 'No microphone found' };
      },
    });
    await expect(api.startVoiceCapture()).rejects.toMatchObject({ code: 'audio_device', message: 'No microphone found' });
  });

  it('delivers recording events and builds asset URLs for audio files', async () => {
    const shell = fakeShell('capture');
    const cb = vi.fn();
    const un = await api.onRecording(cb);
    const rec = { captureId: 'c', active: true, elapsedMs: 1200, rms: 0.1, peak: 0.3, silent: false, notice: null };
    await shell.emit('recording', { type: 'recordingChanged', status: rec });
    expect(cb).toHaveBeenCalledWith(rec);
    un();
    const failed = vi.fn();
    await api.onRecordingError(failed);
    await shell.emit('recording-error', {
      type: 'recordingFailed',
      error: { code: 'audio_device', message: 'No microphone found' },
    });
    expect(failed.mock.calls[0][0]).toBeInstanceOf(api.ApiFailure);
    expect(failed.mock.calls[0][0]).toMatchObject({ code: 'audio_device', message: 'No microphone found' });
    expect(api.audioSrc('/home/u/.local/share/jotline/audio/c.wav')).toBe(
      'asset://localhost/%2Fhome%2Fu%2F.local%2Fshare%2Fjotline%2Faudio%2Fc.wav',
    );
  });
});

describe('api.ts welcome, start at login and export', () => {
  it('passes the arguments by their Rust names', async () => {
    const shell = fakeShell('main', new Proxy({}, { get: () => () => null }));
    await api.dismissWelcome();
    await api.setStartAtLogin(true);
    await api.setStartAtLogin(false);
    await api.defaultExportFolder();
    await api.chooseExportFolder('/home/ann/Documents');
    await api.chooseExportFolder(null);
    await api.exportJournal('markdown', '/tmp/out');
    expect(shell.calls.map((c) => [c.cmd, c.args])).toEqual([
      ['dismiss_welcome', {}],
      ['set_start_at_login', { enabled: true }],
      ['set_start_at_login', { enabled: false }],
      ['default_export_folder', {}],
      ['choose_export_folder', { current: '/home/ann/Documents' }],
      ['choose_export_folder', { current: null }],
      ['export_journal', { format: 'markdown', dir: '/tmp/out' }],
    ]);
  });

  it('returns the export summary and keeps the error code', async () => {
    const summary = { dir: '/tmp/out', format: 'json', entries: 3, files: 1, skippedDamaged: [] };
    fakeShell('main', {
      export_journal: () => summary,
      choose_export_folder: () => null,
      set_start_at_login: () => {
        throw { code: 'storage', message: 'no autostart folder' };
      },
    });
    await expect(api.exportJournal('json', '/tmp/out')).resolves.toEqual(summary);
    await expect(api.chooseExportFolder('/tmp')).resolves.toBeNull();
    const err = await api.setStartAtLogin(true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.ApiFailure);
    expect(err).toMatchObject({ code: 'storage', message: 'no autostart folder' });
  });
});

describe('api.ts delivery receipts', () => {
  it('passes the arguments by their Rust names and hears receipts-changed', async () => {
    const shell = fakeShell('main', new Proxy({}, { get: () => () => null }));
    await api.listDevices();
    await api.forgetDevice('client-2');
    await api.setDeviceName('desktop');
    await api.getEntryDelivery('e1');
    expect(shell.calls.map((c) => [c.cmd, c.args])).toEqual([
      ['list_devices', {}],
      ['forget_device', { clientId: 'client-2' }],
      ['set_device_name', { name: 'desktop' }],
      ['get_entry_delivery', { id: 'e1' }],
    ]);
    const moved = vi.fn();
    const un = await api.onReceiptsChanged(moved);
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    expect(moved).toHaveBeenCalledTimes(1);
    un();
    await shell.emit('receipts-changed', { type: 'receiptsChanged' });
    expect(moved).toHaveBeenCalledTimes(1);
  });
});

describe('api.ts errors', () => {
  it('turns an ApiError rejection into ApiFailure with its code', async () => {
    fakeShell('main', {
      save_capture: () => {
        throw { code: 'too_large', message: 'capture exceeds 1 MiB' };
      },
    });
    const err = await api.saveCapture('x', 'in_app').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.ApiFailure);
    expect(err).toMatchObject({ code: 'too_large', message: 'capture exceeds 1 MiB' });
  });

  it('maps other rejections to code internal', async () => {
    fakeShell('main', {
      get_entry: () => {
        throw 'boom';
      },
      delete_entry: () => {
        throw { code: 'no_such_code', message: 'odd' };
      },
    });
    await expect(api.getEntry('a')).rejects.toMatchObject({ code: 'internal', message: 'boom' });
    const err = await api.deleteEntry('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.ApiFailure);
    expect((err as api.ApiFailure).code).toBe('internal');
  });
});

describe('api.ts events', () => {
  it('delivers typed payloads and stops after unlisten', async () => {
    const shell = fakeShell('main');
    const ids = vi.fn();
    const status = vi.fn();
    const hotkey = vi.fn();
    const shown = vi.fn();
    const cloud = vi.fn();
    const settings = vi.fn();
    const unlisten = await api.onEntriesChanged(ids);
    await api.onCloudUpdated(cloud);
    await api.onSettingsChanged(settings);
    await api.onStatusChanged(status);
    await api.onHotkeyStatus(hotkey);
    await api.onCaptureShown(shown);

    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['a', 'b'] });
    const s = { entryCount: 3, pendingOps: 1, failedOps: 0, sync: { state: 'localOnly' } };
    await shell.emit('status-changed', { type: 'statusChanged', status: s });
    const h = { hotkey: 'Alt+J', registered: false, error: 'taken' };
    await shell.emit('hotkey-status', { type: 'hotkeyChanged', status: h });
    await shell.emit('capture-shown', null);
    await shell.emit('cloud-updated', { type: 'cloudUpdated', entriesUpdated: 4 });
    const saved = { captureHotkey: 'Alt+J', welcomeDone: true };
    await shell.emit('settings-changed', { type: 'settingsChanged', settings: saved });

    expect(ids).toHaveBeenCalledWith(['a', 'b']);
    expect(status).toHaveBeenCalledWith(s);
    expect(hotkey).toHaveBeenCalledWith(h);
    expect(shown).toHaveBeenCalledTimes(1);
    expect(cloud).toHaveBeenCalledWith(4);
    expect(settings).toHaveBeenCalledWith(saved);

    unlisten();
    await shell.emit('entries-changed', { type: 'entriesChanged', ids: ['c'] });
    expect(ids).toHaveBeenCalledTimes(1);
  });
});
