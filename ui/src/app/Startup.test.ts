import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../lib/bindings';
import { SETTINGS, settle } from '../test/backend';
import { openSettings } from '../test/journal';

const box = () => document.querySelector<HTMLInputElement>('#start-at-login')!;

describe('start at login', () => {
  it('shows the saved choice', async () => {
    await openSettings({ get_settings: () => ({ ...SETTINGS, startAtLogin: true }) });
    expect(box().checked).toBe(true);
    expect(box().closest('label')?.textContent?.trim()).toBe('Start Jotline when I log in (minimised to the tray)');
  });

  it('turns it on and off with set_start_at_login', async () => {
    const shell = await openSettings();
    expect(box().checked).toBe(false);
    await fireEvent.click(box());
    await settle();
    expect(box().checked).toBe(true);
    await fireEvent.click(box());
    await settle();
    expect(box().checked).toBe(false);
    expect(shell.callsOf('set_start_at_login').map((c) => c.args)).toEqual([{ enabled: true }, { enabled: false }]);
    expect(screen.queryByTestId('start-at-login-error')).toBeNull();
  });

  it('applies a second click made while the first is still under way', async () => {
    let release: (() => void) | null = null;
    const shell = await openSettings({
      set_start_at_login: async (a): Promise<Settings> => {
        if (a.enabled) await new Promise<void>((r) => (release = r));
        return { ...SETTINGS, startAtLogin: Boolean(a.enabled) };
      },
    });
    await fireEvent.click(box());
    await settle();
    await fireEvent.click(box());
    release!();
    await settle();
    expect(shell.callsOf('set_start_at_login').map((c) => c.args)).toEqual([{ enabled: true }, { enabled: false }]);
    expect(box().checked).toBe(false);
  });

  it('reverts the box and says why when the shell refuses', async () => {
    const shell = await openSettings({
      set_start_at_login: () => {
        throw { code: 'storage', message: 'Could not write ~/.config/autostart/Jotline.desktop: permission denied' };
      },
    });
    await fireEvent.click(box());
    await settle();
    expect(shell.callsOf('set_start_at_login').map((c) => c.args)).toEqual([{ enabled: true }]);
    expect(box().checked).toBe(false);
    expect(screen.getByTestId('start-at-login-error').textContent).toContain('permission denied');
  });
});
