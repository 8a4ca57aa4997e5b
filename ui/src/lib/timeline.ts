// Pure helpers for keeping the loaded part of the timeline in order (newest first).
import type { Entry } from './bindings';

/** Timeline order: occurredAt descending, then id descending (the core's cursor order). */
export function compareNewestFirst(a: Entry, b: Entry): number {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  if (ta !== tb) return tb - ta;
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

/** Appends a page, skipping ids already present. */
export function appendPage(current: Entry[], page: Entry[]): Entry[] {
  const seen = new Set(current.map((e) => e.id));
  return current.concat(page.filter((e) => !seen.has(e.id)));
}

/**
 * Replaces the head of the loaded timeline with a freshly loaded first page, keeping the older
 * entries that were loaded beyond it (so a change does not throw away what the user scrolled to).
 */
export function mergeFirstPage(current: Entry[], firstPage: Entry[], pageIsComplete: boolean): Entry[] {
  if (firstPage.length === 0 || pageIsComplete) return firstPage.slice();
  const oldest = firstPage[firstPage.length - 1];
  const ids = new Set(firstPage.map((e) => e.id));
  const older = current.filter((e) => !ids.has(e.id) && compareNewestFirst(e, oldest) > 0);
  return firstPage.concat(older);
}

/** Inserts or replaces one entry, keeping the order. */
export function upsertEntry(current: Entry[], entry: Entry): Entry[] {
  const rest = current.filter((e) => e.id !== entry.id);
  const at = rest.findIndex((e) => compareNewestFirst(entry, e) < 0);
  if (at === -1) return [...rest, entry];
  return [...rest.slice(0, at), entry, ...rest.slice(at)];
}

export function removeEntry(current: Entry[], id: string): Entry[] {
  return current.filter((e) => e.id !== id);
}
