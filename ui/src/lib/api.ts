// The only module that talks to the Tauri shell. Every command is a typed wrapper that calls
// invoke with the literal command name (a Rust test parses this file for those calls and checks
// that each name exists in the shell; so never write such a call in a comment here), and every event is a typed `onXxx(cb)` returning an unlisten function.
// Rejections are turned into `ApiFailure` with a code from the closed `ErrorCode` set.
import { convertFileSrc, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  Account,
  ApiError,
  AppStatus,
  CaptureSaved,
  CoreEvent,
  Device,
  Entry,
  EntryDelivery,
  EntryPatch,
  ErrorCode,
  ExportFormat,
  ExportSummary,
  HotkeyStatus,
  Microphone,
  RecordingStatus,
  Settings,
  StartupError,
  Surface,
  SyncDetails,
  TimelineCursor,
  TimelinePage,
  VoiceMode,
} from './bindings';

export type { UnlistenFn };

const ERROR_CODES: readonly ErrorCode[] = [
  'not_found',
  'invalid_input',
  'empty_capture',
  'too_large',
  'database_locked',
  'database_corrupt',
  'database_too_new',
  'storage',
  'invalid_credentials',
  'network',
  'backend',
  'keyring',
  'pending_changes_of_other_user',
  'audio_device',
  'internal',
];

/** A failed command: `code` is one of the shell's closed set of error codes. */
export class ApiFailure extends Error implements ApiError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
  }
}

/** Maps whatever `invoke` rejected with to an `ApiFailure` (unknown shapes become `internal`). */
export function toApiFailure(raw: unknown): ApiFailure {
  if (raw instanceof ApiFailure) return raw;
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) {
      return new ApiFailure(code as ErrorCode, String(message));
    }
  }
  if (raw instanceof Error) return new ApiFailure('internal', raw.message);
  if (typeof raw === 'string') return new ApiFailure('internal', raw);
  return new ApiFailure('internal', 'Unexpected error from the app');
}

async function call<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (raw) {
    throw toApiFailure(raw);
  }
}

// --- Journal ---------------------------------------------------------------------------------

export function listTimeline(before: TimelineCursor | null, limit: number): Promise<TimelinePage> {
  return call(invoke<TimelinePage>('list_timeline', { before, limit }));
}

/** `query` may contain `#tag` and `@person` tokens; the core interprets them. */
export function searchEntries(query: string, limit: number): Promise<Entry[]> {
  return call(invoke<Entry[]>('search_entries', { query, limit }));
}

export function getEntry(id: string): Promise<Entry> {
  return call(invoke<Entry>('get_entry', { id }));
}

export function updateEntry(id: string, patch: EntryPatch): Promise<Entry> {
  return call(invoke<Entry>('update_entry', { id, patch }));
}

export function deleteEntry(id: string): Promise<null> {
  return call(invoke<null>('delete_entry', { id }));
}

// --- Capture ---------------------------------------------------------------------------------

/** With surface `desktop_hotkey` the shell hides the capture window and clears the draft. */
export function saveCapture(text: string, surface: Surface): Promise<CaptureSaved> {
  return call(invoke<CaptureSaved>('save_capture', { text, surface }));
}

/** Hides the capture window; the draft stays on disk. */
export function cancelCapture(): Promise<null> {
  return call(invoke<null>('cancel_capture'));
}

export function saveDraft(text: string): Promise<null> {
  return call(invoke<null>('save_draft', { text }));
}

export function loadDraft(): Promise<string | null> {
  return call(invoke<string | null>('load_draft'));
}

// --- Voice -----------------------------------------------------------------------------------

/** Starts recording from the chosen microphone; fails with `audio_device` when there is none. */
export function startVoiceCapture(): Promise<string> {
  return call(invoke<string>('start_voice_capture'));
}

/** Stops the recording and commits it as a capture, then the shell hides the capture window. */
export function stopVoiceCapture(): Promise<CaptureSaved> {
  return call(invoke<CaptureSaved>('stop_voice_capture'));
}

/** Stops the recording and deletes its file (nothing is saved); the shell hides the window. */
export function cancelVoiceCapture(): Promise<null> {
  return call(invoke<null>('cancel_voice_capture'));
}

/** The recording in progress, or null. */
export function getRecording(): Promise<RecordingStatus | null> {
  return call(invoke<RecordingStatus | null>('get_recording'));
}

/** Sends a failed voice capture through upload and transcription again. */
export function retryCapture(captureId: string): Promise<null> {
  return call(invoke<null>('retry_capture', { captureId }));
}

export function listMicrophones(): Promise<Microphone[]> {
  return call(invoke<Microphone[]>('list_microphones'));
}

export interface VoiceSettings {
  voiceHotkey: string;
  voiceMode: VoiceMode;
  voiceMaxMinutes: number;
  /** null: the system default input. */
  microphone: string | null;
  /** Empty: the backend transcribes (when signed in). */
  transcriptionUrl: string;
  transcriptionModel: string;
}

/** The shell's command takes them as one `settings` struct (errors: `invalid_input`). */
export function setVoiceSettings(voice: VoiceSettings): Promise<Settings> {
  const { voiceHotkey, voiceMode, voiceMaxMinutes, microphone, transcriptionUrl, transcriptionModel } = voice;
  const settings = { voiceHotkey, voiceMode, voiceMaxMinutes, microphone, transcriptionUrl, transcriptionModel };
  return call(invoke<Settings>('set_voice_settings', { settings }));
}

/**
 * Stores the transcription service's API key in the OS keyring under the saved service URL
 * (null clears it); it is never read back. Fails with `invalid_input` while no URL is saved.
 */
export function setTranscriptionKey(key: string | null): Promise<null> {
  return call(invoke<null>('set_transcription_key', { key }));
}

/** The asset-protocol URL of a memo's local audio file (the shell allows only the audio folder). */
export function audioSrc(path: string): string {
  return convertFileSrc(path);
}

/**
 * A playable URL for a memo's local audio: WebKitGTK cannot stream media from a custom URI
 * scheme (the asset protocol), so the file is fetched through it once and played from a blob.
 * Call `URL.revokeObjectURL` when done.
 */
export async function loadAudio(path: string): Promise<string> {
  const resp = await fetch(audioSrc(path));
  if (!resp.ok) throw { code: 'not_found', message: `The recording could not be read (${resp.status}).` };
  return URL.createObjectURL(await resp.blob());
}

// --- App state -------------------------------------------------------------------------------

export function getStatus(): Promise<AppStatus> {
  return call(invoke<AppStatus>('get_status'));
}

export function refresh(): Promise<AppStatus> {
  return call(invoke<AppStatus>('refresh'));
}

export function getSettings(): Promise<Settings> {
  return call(invoke<Settings>('get_settings'));
}

/** Persists the hotkey and tries to register it; the status says whether that worked. */
export function setCaptureHotkey(hotkey: string): Promise<HotkeyStatus> {
  return call(invoke<HotkeyStatus>('set_capture_hotkey', { hotkey }));
}

export function getHotkeyStatus(): Promise<HotkeyStatus> {
  return call(invoke<HotkeyStatus>('get_hotkey_status'));
}

/** Non-null when the journal database could not be opened at start-up. */
export function getStartupError(): Promise<StartupError | null> {
  return call(invoke<StartupError | null>('get_startup_error'));
}

export function showMainWindow(): Promise<null> {
  return call(invoke<null>('show_main_window'));
}

/** The first-run welcome was read: it is not shown again. */
export function dismissWelcome(): Promise<Settings> {
  return call(invoke<Settings>('dismiss_welcome'));
}

/** Adds or removes the desktop's login item (Jotline then starts minimised to the tray). */
export function setStartAtLogin(enabled: boolean): Promise<Settings> {
  return call(invoke<Settings>('set_start_at_login', { enabled }));
}

// --- Export ----------------------------------------------------------------------------------

/** Where an export goes unless the user picks another folder, e.g. `~/Documents/Jotline export`. */
export function defaultExportFolder(): Promise<string> {
  return call(invoke<string>('default_export_folder'));
}

/** Opens the native folder picker at `current`; null when the user cancelled. */
export function chooseExportFolder(current: string | null): Promise<string | null> {
  return call(invoke<string | null>('choose_export_folder', { current }));
}

/** Writes the whole journal into `dir` (created if missing): one JSON file, or Markdown per day. */
export function exportJournal(format: ExportFormat, dir: string): Promise<ExportSummary> {
  return call(invoke<ExportSummary>('export_journal', { format, dir }));
}

// --- Sync and account ------------------------------------------------------------------------

/** The signed-in account, or null. */
export function getAccount(): Promise<Account | null> {
  return call(invoke<Account | null>('get_account'));
}

/** Saves the backend and interval and restarts sync with them (refused while signed in to another backend). */
export function setSyncSettings(
  backendUrl: string,
  anonKey: string,
  syncIntervalMinutes: number,
): Promise<Settings> {
  return call(invoke<Settings>('set_sync_settings', { backendUrl, anonKey, syncIntervalMinutes }));
}

/**
 * Fails with `pending_changes_of_other_user` when the journal holds unsynced changes of another
 * account; call again with `discardPending` after the user confirmed.
 */
export function signUp(email: string, password: string, discardPending = false): Promise<Account> {
  return call(invoke<Account>('sign_up', { email, password, discardPending }));
}

export function signIn(email: string, password: string, discardPending = false): Promise<Account> {
  return call(invoke<Account>('sign_in', { email, password, discardPending }));
}

export function signOut(): Promise<null> {
  return call(invoke<null>('sign_out'));
}

export function getSyncDetails(): Promise<SyncDetails> {
  return call(invoke<SyncDetails>('get_sync_details'));
}

export function setSyncPaused(paused: boolean): Promise<null> {
  return call(invoke<null>('set_sync_paused', { paused }));
}

export function fullResync(): Promise<null> {
  return call(invoke<null>('full_resync'));
}

export function retryDeadLetter(opSeq: number): Promise<null> {
  return call(invoke<null>('retry_dead_letter', { opSeq }));
}

/** Queues every failed change again; resolves to how many. */
export function retryAllDeadLetters(): Promise<number> {
  return call(invoke<number>('retry_all_dead_letters'));
}

export function discardDeadLetter(opSeq: number): Promise<null> {
  return call(invoke<null>('discard_dead_letter', { opSeq }));
}

// --- Delivery receipts -----------------------------------------------------------------------

/** The user's devices as last listed by the server (read locally), this computer first. */
export function listDevices(): Promise<Device[]> {
  return call(invoke<Device[]>('list_devices'));
}

/** Removes a device from the list: it stops holding receipts back until it syncs again. */
export function forgetDevice(clientId: string): Promise<null> {
  return call(invoke<null>('forget_device', { clientId }));
}

/** This computer's name on the other devices; empty: the host name (errors: `invalid_input`). */
export function setDeviceName(name: string): Promise<Settings> {
  return call(invoke<Settings>('set_device_name', { name }));
}

/** Where one entry has got, and which active devices still lack it. */
export function getEntryDelivery(id: string): Promise<EntryDelivery> {
  return call(invoke<EntryDelivery>('get_entry_delivery', { id }));
}

// --- Events ----------------------------------------------------------------------------------

/** A `CoreEvent` of one kind: the shell forwards each event as it is. */
export type EventOf<T extends CoreEvent['type']> = Extract<CoreEvent, { type: T }>;
export type EntriesChanged = EventOf<'entriesChanged'>;
export type StatusChanged = EventOf<'statusChanged'>;

function subscribe<T>(event: string, cb: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => cb(e.payload));
}

export function onEntriesChanged(cb: (ids: string[]) => void): Promise<UnlistenFn> {
  return subscribe<EntriesChanged>('entries-changed', (p) => cb(p?.ids ?? []));
}

export function onStatusChanged(cb: (status: AppStatus) => void): Promise<UnlistenFn> {
  return subscribe<StatusChanged>('status-changed', (p) => cb(p.status));
}

export function onHotkeyStatus(cb: (status: HotkeyStatus) => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'hotkeyChanged'>>('hotkey-status', (p) => cb(p.status));
}

/** After a sync round changed entries from the cloud. */
export function onCloudUpdated(cb: (entriesUpdated: number) => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'cloudUpdated'>>('cloud-updated', (p) => cb(p.entriesUpdated));
}

/** The settings were saved (by this window or another). */
export function onSettingsChanged(cb: (settings: Settings) => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'settingsChanged'>>('settings-changed', (p) => cb(p.settings));
}

/** Deliveries moved (a device pulled, or the device list changed): reload what shows them. */
export function onReceiptsChanged(cb: () => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'receiptsChanged'>>('receipts-changed', () => cb());
}

/** Sent to the capture window each time the hotkey shows it. */
export function onCaptureShown(cb: () => void): Promise<UnlistenFn> {
  return subscribe<null>('capture-shown', () => cb());
}

/** While recording, ~20 times a second; a last one with `active: false` when it ends. */
export function onRecording(cb: (status: RecordingStatus) => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'recordingChanged'>>('recording', (p) => cb(p.status));
}

/** A recording the voice hotkey asked for could not start (e.g. `audio_device`: no microphone). */
export function onRecordingError(cb: (error: ApiFailure) => void): Promise<UnlistenFn> {
  return subscribe<EventOf<'recordingFailed'>>('recording-error', (p) =>
    cb(toApiFailure(p.error)),
  );
}

/**
 * Subscribes to several events and returns one synchronous cleanup, suitable for `$effect`.
 * Unlisteners that resolve after cleanup are called immediately.
 */
export function listenAll(subscriptions: Promise<UnlistenFn>[]): () => void {
  let done = false;
  const unlisteners: UnlistenFn[] = [];
  for (const sub of subscriptions) {
    sub.then(
      (un) => (done ? un() : unlisteners.push(un)),
      () => {},
    );
  }
  return () => {
    done = true;
    unlisteners.splice(0).forEach((un) => un());
  };
}
