// A fake Tauri shell for UI tests: mocked windows, commands answered by handlers (with defaults
// for the commands every window calls on start), a log of calls, and mocked events.
import { emit } from '@tauri-apps/api/event';
import { mockConvertFileSrc, mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type { AppStatus, Entry, ExportSummary, HotkeyStatus, Settings, TimelinePage } from '../lib/bindings';
import { settingsStore } from '../lib/settings.svelte';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export const STATUS: AppStatus = { entryCount: 0, pendingOps: 0, failedOps: 0, sync: { state: 'localOnly' } };
export const SETTINGS: Settings = {
  captureHotkey: 'Ctrl+Shift+Space',
  backendUrl: '',
  anonKey: '',
  syncIntervalMinutes: 5,
  deviceName: '',
  voiceHotkey: 'Ctrl+Shift+V',
  voiceMode: 'toggle',
  voiceMaxMinutes: 10,
  microphone: null,
  transcriptionUrl: '',
  transcriptionModel: 'whisper-1',
  startAtLogin: false,
  welcomeDone: false,
};
export const EXPORT_FOLDER = '/home/ann/Documents/Jotline export';
export const HOTKEY_OK: HotkeyStatus = { hotkey: 'Ctrl+Shift+Space', registered: true, error: null };

const DEFAULTS: Record<string, Handler> = {
  get_startup_error: () => null,
  get_status: () => STATUS,
  get_hotkey_status: () => HOTKEY_OK,
  get_settings: () => SETTINGS,
  get_account: () => null,
  get_sync_details: () => ({ pending: [], pendingTotal: 0, deadLetters: [] }),
  list_devices: () => [],
  list_timeline: (): TimelinePage => ({ entries: [], next: null }),
  load_draft: () => null,
  get_recording: () => null,
  save_draft: () => null,
  default_export_folder: () => EXPORT_FOLDER,
  dismiss_welcome: (): Settings => ({ ...SETTINGS, welcomeDone: true }),
  set_start_at_login: (a): Settings => ({ ...SETTINGS, startAtLogin: Boolean(a.enabled) }),
  choose_export_folder: () => null,
  export_journal: (a): ExportSummary => ({
    dir: String(a.dir),
    format: a.format as ExportSummary['format'],
    entries: 0,
    files: 1,
    skippedDamaged: [],
  }),
};

export function fakeShell(window: 'main' | 'capture', handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  // Each test is a new app: no settings held from the previous one.
  settingsStore.reset();
  mockWindows(window);
  mockConvertFileSrc('linux');
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      const handler = handlers[cmd] ?? DEFAULTS[cmd];
      if (!handler) throw { code: 'internal', message: `unmocked command ${cmd}` };
      return handler(a);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    callsOf: (cmd: string) => calls.filter((c) => c.cmd === cmd),
    emit: (event: string, payload: unknown) => emit(event, payload),
  };
}

let seq = 0;

export function entry(partial: Partial<Entry> & { occurredAt: string; body: string }): Entry {
  seq += 1;
  return {
    id: partial.id ?? `0190000${String(seq).padStart(5, '0')}`,
    kind: 'note',
    title: null,
    createdAt: partial.occurredAt,
    updatedAt: partial.occurredAt,
    tags: [],
    people: [],
    voice: null,
    damaged: false,
    ...partial,
  };
}

/** An ISO timestamp for a local date and time. */
export function localIso(y: number, month: number, d: number, h = 12, m = 0): string {
  return new Date(y, month - 1, d, h, m).toISOString();
}

/** Lets pending promises and Svelte updates settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 0));
}
