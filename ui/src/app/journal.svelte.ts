// State of the journal window: the loaded part of the timeline, the current search and the open
// entry. Only user actions and shell events change it (no polling); the timeline is paged, so
// a journal of 100k entries never loads more than the user scrolls to.
import {
  ApiFailure,
  getEntry,
  listTimeline,
  searchEntries,
} from '../lib/api';
import type { Entry, TimelineCursor } from '../lib/bindings';
import { errorMessage } from '../lib/text';
import { debounce } from '../lib/throttle';
import { appendPage, mergeFirstPage, removeEntry, upsertEntry } from '../lib/timeline';

export const PAGE_SIZE = 50;
export const SEARCH_LIMIT = 200;
export const SEARCH_DEBOUNCE_MS = 150;
/** The shell's largest page (list_timeline clamps to it). */
export const MAX_RELOAD = 500;

export class Journal {
  /** Loaded timeline entries, newest first. */
  entries = $state.raw<Entry[]>([]);
  /** Cursor of the next (older) page; null when everything is loaded. */
  next = $state.raw<TimelineCursor | null>(null);
  loaded = $state(false);
  loadingMore = $state(false);
  /** Text of the search box. */
  query = $state('');
  /** The query whose results are on screen; empty means the timeline is shown. */
  activeQuery = $state('');
  results = $state.raw<Entry[]>([]);
  searching = $state(false);
  selected = $state.raw<Entry | null>(null);
  error = $state<string | null>(null);

  /** True once pages beyond the first are loaded (a reload then keeps them). */
  #extraPages = false;
  #searchSeq = 0;
  #timelineSeq = 0;
  #debouncedSearch = debounce((q: string) => this.runSearch(q), SEARCH_DEBOUNCE_MS);

  get searchMode(): boolean {
    return this.activeQuery !== '';
  }

  /** Loads the newest `limit` entries over the head of what is loaded (scrolled-to pages stay). */
  async loadFirstPage(limit = PAGE_SIZE): Promise<void> {
    const seq = ++this.#timelineSeq;
    try {
      const page = await listTimeline(null, limit);
      if (seq !== this.#timelineSeq) return;
      this.entries = mergeFirstPage(this.entries, page.entries, !this.#extraPages);
      if (!this.#extraPages) this.next = page.next;
      this.error = null;
    } catch (err) {
      if (seq === this.#timelineSeq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#timelineSeq) this.loaded = true;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.next || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await listTimeline(this.next, PAGE_SIZE);
      this.entries = appendPage(this.entries, page.entries);
      this.next = page.next;
      this.#extraPages = true;
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loadingMore = false;
    }
  }

  /** Called on every keystroke in the search box. */
  setQuery(q: string): void {
    this.query = q;
    if (q.trim() === '') {
      this.clearSearch();
    } else {
      this.#debouncedSearch(q.trim());
    }
  }

  /** Searches at once, e.g. for a clicked `#tag` / `@person` chip. */
  searchNow(q: string): void {
    this.query = q;
    this.#debouncedSearch.cancel();
    void this.runSearch(q.trim());
  }

  clearSearch(): void {
    this.#debouncedSearch.cancel();
    this.#searchSeq++;
    this.query = '';
    this.activeQuery = '';
    this.results = [];
    this.searching = false;
  }

  async runSearch(q: string): Promise<void> {
    if (q === '') return this.clearSearch();
    const seq = ++this.#searchSeq;
    this.searching = true;
    try {
      const results = await searchEntries(q, SEARCH_LIMIT);
      if (seq !== this.#searchSeq) return;
      this.results = results;
      this.activeQuery = q;
      this.error = null;
    } catch (err) {
      if (seq === this.#searchSeq) this.error = errorMessage(err);
    } finally {
      if (seq === this.#searchSeq) this.searching = false;
    }
  }

  open(entry: Entry): void {
    this.selected = entry;
  }

  close(): void {
    this.selected = null;
  }

  /** A new or edited entry from this window: show it without waiting for the event. */
  applyEntry(entry: Entry): void {
    if (this.entries.some((e) => e.id === entry.id) || this.#coversNewest(entry)) {
      this.entries = upsertEntry(this.entries, entry);
    }
    this.results = this.results.map((e) => (e.id === entry.id ? entry : e));
    if (this.selected?.id === entry.id) this.selected = entry;
  }

  applyDeleted(id: string): void {
    this.entries = removeEntry(this.entries, id);
    this.results = removeEntry(this.results, id);
    if (this.selected?.id === id) this.selected = null;
  }

  /** `entries-changed`: reload what is on screen (first page or current search, open entry). */
  async onEntriesChanged(ids: string[]): Promise<void> {
    const changed = new Set(ids);
    const reloads: Promise<void>[] = [this.loadFirstPage()];
    if (this.searchMode) reloads.push(this.runSearch(this.activeQuery));
    await Promise.all(reloads);
    // Entries loaded beyond the first page and the open entry are refreshed one by one.
    const stale = new Set(
      [...this.entries.slice(PAGE_SIZE), ...(this.selected ? [this.selected] : [])]
        .filter((e) => changed.has(e.id))
        .map((e) => e.id),
    );
    await Promise.all([...stale].map((id) => this.#refetch(id)));
  }

  /**
   * `receipts-changed`: deliveries moved, no text did — possibly of every entry (a new device
   * holds nothing yet). Reloads the whole loaded range in one call (up to the shell's largest
   * page), the search and the open entry.
   */
  async onReceiptsChanged(): Promise<void> {
    const loaded = Math.min(Math.max(PAGE_SIZE, this.entries.length), MAX_RELOAD);
    const reloads: Promise<void>[] = [this.loadFirstPage(loaded)];
    if (this.searchMode) reloads.push(this.runSearch(this.activeQuery));
    if (this.selected) reloads.push(this.#refetch(this.selected.id));
    await Promise.all(reloads);
  }

  async #refetch(id: string): Promise<void> {
    try {
      const entry = await getEntry(id);
      if (this.entries.some((e) => e.id === id)) this.entries = upsertEntry(this.entries, entry);
      if (this.selected?.id === id) this.selected = entry;
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'not_found') this.applyDeleted(id);
    }
  }

  /** Whether `entry` falls inside the loaded range of the timeline. */
  #coversNewest(entry: Entry): boolean {
    if (!this.next) return true;
    const oldest = this.entries[this.entries.length - 1];
    return !oldest || Date.parse(entry.occurredAt) >= Date.parse(oldest.occurredAt);
  }
}
