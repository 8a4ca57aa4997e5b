import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../lib/bindings';
import { entry, SETTINGS, settle } from '../test/backend';
import { openApp } from '../test/journal';

const card = () => document.querySelector<HTMLElement>('#welcome');
const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('first-run welcome', () => {
  it('greets a new journal with the hotkeys and where the journal is kept', async () => {
    await openApp({
      get_settings: () => ({ ...SETTINGS, captureHotkey: 'Alt+J', voiceHotkey: 'Alt+V', voiceMode: 'pushToTalk' }),
      get_hotkey_status: () => ({ hotkey: 'Alt+J', registered: true, error: null }),
    });
    expect(card()).not.toBeNull();
    expect(text(document.querySelector('#welcome-hotkey'))).toBe('Press Alt+J anywhere to capture a thought.');
    expect(text(screen.getByTestId('welcome-voice'))).toBe('Hold Alt+V while you speak to record a voice memo.');
    expect(text(card())).toContain('stored only on this computer until you sign in to sync');
    expect(document.querySelector('#welcome-dismiss')?.textContent).toBe('Got it');
  });

  it('is not shown once it was dismissed', async () => {
    await openApp({ get_settings: () => ({ ...SETTINGS, welcomeDone: true }) });
    expect(screen.getByTestId('status-bar')).toBeTruthy();
    expect(card()).toBeNull();
  });

  it('says when the capture hotkey could not be registered', async () => {
    const shell = await openApp();
    await shell.emit('hotkey-status', {
      type: 'hotkeyChanged',
      status: { hotkey: 'Ctrl+Shift+Space', registered: false, error: 'taken by another app' },
    });
    await settle();
    const shown = text(document.querySelector('#welcome-hotkey'));
    expect(shown).toContain('Ctrl+Shift+Space could not be set up as the capture hotkey (taken by another app)');
    expect(shown).toContain('jotline capture');
  });

  it('leaves the journal usable below it', async () => {
    const e = entry({ occurredAt: new Date().toISOString(), body: 'under the welcome' });
    const shell = await openApp({
      list_timeline: () => ({ entries: [e], next: null }),
      save_capture: () => ({ captureId: 'c', entry: e }),
    });
    expect(card()).not.toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    await fireEvent.input(screen.getByTestId('new-note-input'), { target: { value: 'a note' } });
    await fireEvent.click(screen.getByTestId('new-note-save'));
    await settle();
    expect(shell.callsOf('save_capture')).toHaveLength(1);
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText('under the welcome'));
    expect(screen.getByTestId('entry-view')).toBeTruthy();
  });

  it('"Got it" calls dismiss_welcome and hides the card for good', async () => {
    let done = false;
    const shell = await openApp({
      get_settings: (): Settings => ({ ...SETTINGS, welcomeDone: done }),
      dismiss_welcome: (): Settings => {
        done = true;
        return { ...SETTINGS, welcomeDone: true };
      },
    });
    await fireEvent.click(document.querySelector('#welcome-dismiss')!);
    await settle();
    expect(shell.callsOf('dismiss_welcome')).toEqual([{ cmd: 'dismiss_welcome', args: {} }]);
    expect(card()).toBeNull();
    // Opening and closing Settings reloads nothing that brings it back.
    await fireEvent.click(screen.getByTestId('open-settings'));
    await settle();
    await fireEvent.click(screen.getByTestId('settings-close'));
    await settle();
    expect(card()).toBeNull();
  });

  it('stays, with the reason, when dismissing fails', async () => {
    await openApp({
      dismiss_welcome: () => {
        throw { code: 'storage', message: 'settings.json is read-only' };
      },
    });
    await fireEvent.click(document.querySelector('#welcome-dismiss')!);
    await settle();
    expect(card()).not.toBeNull();
    expect(screen.getByTestId('welcome-error').textContent).toBe('settings.json is read-only');
  });

  it('changes the capture hotkey right there with set_capture_hotkey', async () => {
    const shell = await openApp({
      set_capture_hotkey: (a) => ({ hotkey: a.hotkey, registered: true, error: null }),
    });
    expect(screen.queryByTestId('welcome-hotkey-input')).toBeNull();
    await fireEvent.click(screen.getByTestId('welcome-change'));
    await settle();
    const input = screen.getByTestId('welcome-hotkey-input') as HTMLInputElement;
    expect(input.value).toBe('Ctrl+Shift+Space');
    expect(document.activeElement).toBe(input);
    await fireEvent.click(screen.getByTestId('welcome-hotkey-record'));
    await fireEvent.keyDown(input, { key: 'k', code: 'KeyK', ctrlKey: true, altKey: true });
    expect(input.value).toBe('Ctrl+Alt+K');
    await fireEvent.click(screen.getByTestId('welcome-hotkey-save'));
    await settle();
    expect(shell.callsOf('set_capture_hotkey').map((c) => c.args)).toEqual([{ hotkey: 'Ctrl+Alt+K' }]);
    expect(text(document.querySelector('#welcome-hotkey'))).toBe('Press Ctrl+Alt+K anywhere to capture a thought.');
    expect(screen.queryByTestId('welcome-hotkey-input')).toBeNull();
    expect(card()).not.toBeNull();
  });

  it('keeps the editor open and shows the shell\'s refusal', async () => {
    await openApp({
      set_capture_hotkey: () => {
        throw { code: 'invalid_input', message: 'Not a valid accelerator: Ctrl+' };
      },
    });
    await fireEvent.click(screen.getByTestId('welcome-change'));
    await fireEvent.input(screen.getByTestId('welcome-hotkey-input'), { target: { value: 'Ctrl+' } });
    await fireEvent.click(screen.getByTestId('welcome-hotkey-save'));
    await settle();
    expect(screen.getByTestId('welcome-hotkey-save-error').textContent).toBe('Not a valid accelerator: Ctrl+');
    expect(text(document.querySelector('#welcome-hotkey'))).toBe('Press Ctrl+Shift+Space anywhere to capture a thought.');
  });

  it('points to Settings → Sync', async () => {
    await openApp();
    await fireEvent.click(screen.getByTestId('welcome-open-settings'));
    await settle();
    expect(screen.getByTestId('sync-settings')).toBeTruthy();
  });
});
