// Labels and numbers shown for voice memos: the recording's clock and level, a memo's status.
import type { RecordingStatus, VoiceMemo } from './bindings';

const pad = (n: number) => String(n).padStart(2, '0');

/** `mm:ss` for a recording's elapsed time (minutes keep counting past 59). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** A memo's length for the timeline: "0:42", "12:05". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${pad(total % 60)}`;
}

/** The quietest level the meter shows (dBFS); below it the bar is empty. */
const FLOOR_DB = -60;

/** A 0..1 sample level as a 0..1 meter position on a decibel scale (speech lands mid-bar). */
export function meterLevel(level: number): number {
  if (!(level > 0)) return 0;
  const db = 20 * Math.log10(Math.min(level, 1));
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

/** The status shown before the first `recording` event of a capture arrives. */
export function startedRecording(captureId: string): RecordingStatus {
  return { captureId, active: true, elapsedMs: 0, rms: 0, peak: 0, silent: false, notice: null };
}

/** The badge text for a memo's transcription status. */
export function voiceStatusLabel(voice: VoiceMemo): string {
  switch (voice.status) {
    case 'pending':
      return 'Waiting to upload';
    case 'uploading':
      return 'Uploading…';
    case 'parsing':
      return 'Transcribing…';
    case 'ready':
      return 'Ready';
    case 'error':
      return `Failed: ${voice.error ?? 'unknown error'}`;
  }
}

/** How often the voice settings list the microphones again while open. */
export const MICROPHONE_REFRESH_MS = 3000;
