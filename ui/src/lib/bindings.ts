// Generated from src-tauri/core/src/types/ by src-tauri/core/tests/bindings.rs. Do not edit.

export type Entry = { id: string, 
/**
 * `note`, `task`, `event`, ...
 */
kind: string, title: string | null, 
/**
 * Markdown.
 */
body: string, occurredAt: string, createdAt: string, updatedAt: string, 
/**
 * Parsed from `#tag` in title and body, lower-cased, without the `#`.
 */
tags: Array<string>, 
/**
 * Parsed from `@person` in title and body, lower-cased, without the `@`.
 */
people: Array<string>, 
/**
 * Set when the entry was spoken: the memo's audio and how far its transcript is.
 */
voice: VoiceMemo | null, 
/**
 * The stored text had bytes that are not valid UTF-8: `title`/`body` show it with U+FFFD
 * in their place. Exports skip such an entry; editing its text repairs it.
 * (Absent in exports written before the field existed.)
 */
damaged: boolean, 
/**
 * Where the entry has got while sync runs (timeline, entry view); `None` when sync is
 * not running, and in exports.
 */
delivery?: Delivery, };

export type TimelineCursor = { occurredAt: string, id: string, };

export type TimelinePage = { entries: Array<Entry>, next: TimelineCursor | null, };

export type EntryPatch = { title?: string | null, body?: string, kind?: string, occurredAt?: string, };

export type Surface = "desktop_hotkey" | "in_app" | "cli";

export type CaptureSaved = { captureId: string, entry: Entry, };

export type SyncState = { "state": "localOnly" } | { "state": "signedOut", 
/**
 * Why, when the session ended on its own (e.g. expired).
 */
reason: string | null, } | { "state": "active", email: string, status: SyncStatus, } | { "state": "paused", email: string, };

export type AppStatus = { entryCount: number, 
/**
 * Outbox ops queued to be sent (dead letters are `failed_ops`).
 */
pendingOps: number, 
/**
 * Dead-lettered ops: refused, not on the server, waiting for the user to retry or
 * discard them. While any exist nothing may say "synced".
 */
failedOps: number, sync: SyncState, 
/**
 * The user's other devices while sync runs (status bar, tray: "on 2 other devices").
 */
devices?: DevicesSummary, 
/**
 * Set once the full integrity check after start-up found damage in the journal file:
 * what to tell the user. Absent while the check has not run or found nothing.
 */
journalDamage?: string, };

export type Settings = { 
/**
 * Global shortcut that opens the capture window, e.g. `Ctrl+Shift+Space`.
 */
captureHotkey: string, 
/**
 * Base URL of the Supabase-compatible backend; empty: sync is not set up.
 */
backendUrl: string, 
/**
 * The backend's anon key (public by design; the user's tokens live in the keyring).
 */
anonKey: string, 
/**
 * Minutes between background sync rounds while idle.
 */
syncIntervalMinutes: number, 
/**
 * This computer's name on the user's other devices ("not yet on desktop"); empty: the
 * host name.
 */
deviceName: string, 
/**
 * Global shortcut that starts (and, in toggle mode, stops) a voice memo.
 */
voiceHotkey: string, voiceMode: VoiceMode, 
/**
 * A recording stops by itself after this many minutes.
 */
voiceMaxMinutes: number, 
/**
 * Input device name; `None`: the system default.
 */
microphone: string | null, 
/**
 * Base URL of an OpenAI-compatible `/v1/audio/transcriptions` service; empty: the
 * server transcribes (when signed in). Its API key lives in the OS keyring.
 */
transcriptionUrl: string, transcriptionModel: string, 
/**
 * Start Jotline at login, minimised to the tray.
 */
startAtLogin: boolean, 
/**
 * The first-run welcome was dismissed.
 */
welcomeDone: boolean, };

export type HotkeyStatus = { hotkey: string, registered: boolean, error: string | null, };

export type ErrorCode = "not_found" | "invalid_input" | "empty_capture" | "too_large" | "database_locked" | "database_corrupt" | "database_too_new" | "storage" | "invalid_credentials" | "network" | "backend" | "keyring" | "pending_changes_of_other_user" | "audio_device" | "internal";

export type ApiError = { code: ErrorCode, message: string, };

export type StartupError = { code: ErrorCode, message: string, 
/**
 * The database file concerned.
 */
path: string, };

export type CoreEvent = { "type": "entriesChanged", ids: Array<string>, } | { "type": "statusChanged", status: AppStatus, } | { "type": "cloudUpdated", entriesUpdated: number, } | { "type": "recordingChanged", status: RecordingStatus, } | { "type": "recordingFailed", error: ApiError, } | { "type": "settingsChanged", settings: Settings, } | { "type": "hotkeyChanged", status: HotkeyStatus, } | { "type": "receiptsChanged" };

export type SyncPhase = "signedOut" | "idle" | "pushing" | "pulling" | "backoff" | "offline" | "limited" | "error";

export type LiveUpdates = "connecting" | "on" | "off";

export type Delivery = "onThisComputer" | "onServer" | "onAllDevices";

export type Device = { clientId: string, 
/**
 * Its own name (host name unless renamed); `None` for a device that never named itself.
 */
name: string | null, thisDevice: boolean, 
/**
 * Seen within [`ACTIVE_DEVICE_DAYS`] days: it counts for "on all your devices".
 */
active: boolean, lastSeenAt: string | null, pulledAt: string | null, };

export type EntryDelivery = { delivery: Delivery, missing: Array<Device>, };

export type DevicesSummary = { otherDevices: number, upToDate: number, };

export type SyncStatus = { phase: SyncPhase, 
/**
 * End of the last round that completed.
 */
lastSyncedAt: string | null, 
/**
 * Why the last round failed (never contains tokens or note text).
 */
lastError: string | null, 
/**
 * When the engine retries on its own (in `backoff`, `offline`, `limited`, `error`).
 */
retryAt: string | null, 
/**
 * Entries the last round changed from the cloud ("N entries updated").
 */
entriesUpdated: number, 
/**
 * Whether changes from the user's other devices arrive at once (Realtime) or on the
 * next poll. Not an error when off: polling goes on.
 */
liveUpdates: LiveUpdates, };

export type Account = { email: string, userId: string, };

export type OutboxItem = { opSeq: number, 
/**
 * `entries` or `captures`.
 */
table: string, rowId: string, 
/**
 * `upsert` or `delete`.
 */
op: string, fields: Array<string>, attempts: number, nextAttemptAt: string | null, 
/**
 * Why the last attempt failed (for dead letters: why it was given up).
 */
lastError: string | null, };

export type SyncDetails = { pending: Array<OutboxItem>, 
/**
 * Total pending (the list is capped).
 */
pendingTotal: number, deadLetters: Array<OutboxItem>, };

export type CaptureStatus = "pending" | "uploading" | "parsing" | "ready" | "error";

export type VoiceMemo = { captureId: string, status: CaptureStatus, 
/**
 * The last failure (also while a retry is still coming).
 */
error: string | null, retryCount: number, durationMs: number | null, 
/**
 * Rescued at start-up from a recording that never finished.
 */
recovered: boolean, 
/**
 * The WAV on this computer (absolute path, for playback); `None` when the memo was
 * recorded on another device.
 */
audioFile: string | null, };

export type VoiceMode = "toggle" | "pushToTalk";

export type Microphone = { name: string, isDefault: boolean, };

export type RecordingStatus = { captureId: string, active: boolean, elapsedMs: number, 
/**
 * Level of the last ~50 ms, 0..1 (RMS and peak of the samples).
 */
rms: number, peak: number, 
/**
 * No signal for a while: "is the microphone muted?"
 */
silent: boolean, 
/**
 * Something the user should know (device lost and replaced, length limit reached...).
 */
notice: string | null, };

export type ExportFormat = "json" | "markdown";

export type ExportSummary = { 
/**
 * The folder written to.
 */
dir: string, format: ExportFormat, 
/**
 * Entries exported (deleted ones never are).
 */
entries: number, 
/**
 * Files written, copies of voice recordings included.
 */
files: number, 
/**
 * Entries left out because their stored text is damaged (not valid UTF-8); everything
 * else was written.
 */
skippedDamaged: Array<string>, };
