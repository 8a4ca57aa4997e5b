// Opens the journal window (App) on the fake shell, and optionally its Settings view.
import { fireEvent, render, screen } from '@testing-library/svelte';
import App from '../app/App.svelte';
import { fakeShell, settle, type Handler } from './backend';

export async function openApp(handlers: Record<string, Handler> = {}) {
  const shell = fakeShell('main', handlers);
  render(App);
  await settle();
  return shell;
}

export async function openSettings(handlers: Record<string, Handler> = {}) {
  const shell = await openApp(handlers);
  await fireEvent.click(screen.getByTestId('open-settings'));
  await settle();
  return shell;
}
