import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { fakeShell, settle, SETTINGS } from '../test/backend';
import { openApp } from '../test/journal';
import { settingsStore } from './settings.svelte';

describe('the settings store', () => {
  it('fetches once, then follows settings-changed and what saves return', async () => {
    const shell = fakeShell('main', { get_settings: () => ({ ...SETTINGS, captureHotkey: 'Alt+J' }) });
    const [a, b] = await Promise.all([settingsStore.load(), settingsStore.load()]);
    expect(a.captureHotkey).toBe('Alt+J');
    expect(b).toEqual(a);
    await settingsStore.load();
    expect(shell.callsOf('get_settings')).toHaveLength(1);

    await shell.emit('settings-changed', {
      type: 'settingsChanged',
      settings: { ...SETTINGS, captureHotkey: 'Alt+K' },
    });
    expect(settingsStore.current?.captureHotkey).toBe('Alt+K');
    expect((await settingsStore.load()).captureHotkey).toBe('Alt+K');
    settingsStore.saved({ ...SETTINGS, welcomeDone: true });
    expect(settingsStore.current?.welcomeDone).toBe(true);
    expect(shell.callsOf('get_settings')).toHaveLength(1);
  });

  it('fetches again after a failure', async () => {
    let fail = true;
    const shell = fakeShell('main', {
      get_settings: () => {
        if (fail) throw { code: 'storage', message: 'settings.json is malformed' };
        return SETTINGS;
      },
    });
    await expect(settingsStore.load()).rejects.toMatchObject({ code: 'storage' });
    fail = false;
    expect(await settingsStore.load()).toEqual(SETTINGS);
    expect(shell.callsOf('get_settings')).toHaveLength(2);
  });

  it('serves every settings section of the journal window from one fetch', async () => {
    const shell = await openApp();
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    expect(screen.getByTestId('voice-settings')).toBeTruthy();
    expect(screen.getByTestId('startup-settings')).toBeTruthy();
    expect(shell.callsOf('get_settings')).toHaveLength(1);
  });
});
