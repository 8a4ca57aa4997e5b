// Text helpers shared by the capture window and the journal.
import { ApiFailure } from './api';

/** The core rejects notes larger than this (UTF-8 bytes) with `too_large`. */
export const MAX_NOTE_BYTES = 1024 * 1024;
/** From this size on the editors warn that the limit is near. */
export const WARN_NOTE_BYTES = Math.floor(MAX_NOTE_BYTES * 0.9);

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

/** The size of `text` in bytes when it is near or over the limit, else null (cheap for short text). */
export function nearLimitBytes(text: string): number | null {
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short text can skip the encoding.
  if (text.length * 3 < WARN_NOTE_BYTES) return null;
  const bytes = utf8Bytes(text);
  return bytes >= WARN_NOTE_BYTES ? bytes : null;
}

export function formatKiB(bytes: number): string {
  return `${Math.ceil(bytes / 1024).toLocaleString('en')} KiB`;
}

/** A human message for a failed command, worded for the place it happened. */
export function errorMessage(err: unknown): string {
  if (!(err instanceof ApiFailure)) {
    return err instanceof Error ? err.message : 'Something went wrong.';
  }
  const f = err;
  switch (f.code) {
    case 'too_large':
      return 'This note is larger than 1 MiB and cannot be saved. Shorten it; your text is kept here.';
    case 'empty_capture':
      return 'Nothing to save: the note is empty.';
    case 'not_found':
      return 'This entry no longer exists.';
    case 'database_locked':
      return `The journal is busy (locked by another process). Try again. (${f.message})`;
    default:
      return f.message || 'Something went wrong.';
  }
}

export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}
