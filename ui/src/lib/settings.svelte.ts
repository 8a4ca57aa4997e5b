// The window's one copy of the settings: fetched on first use, then kept current by the core's
// `settings-changed` event (a change made in any window) and by what a save returns.
import { getSettings, onSettingsChanged, type UnlistenFn } from './api';
import type { Settings } from './bindings';

class SettingsStore {
  current = $state<Settings | null>(null);
  #pending: Promise<Settings> | null = null;
  #listening: Promise<UnlistenFn> | null = null;

  /** The settings, fetched once per window. */
  load(): Promise<Settings> {
    if (this.current) return Promise.resolve(this.current);
    this.#listening ??= onSettingsChanged((s) => this.saved(s));
    this.#pending ??= this.#fetch();
    return this.#pending;
  }

  /** Fetches again (after a change that only the shell knows the result of). */
  refresh(): Promise<Settings> {
    this.#pending = this.#fetch();
    return this.#pending;
  }

  /** What a save returned, or what another window saved. */
  saved(settings: Settings): void {
    this.current = settings;
  }

  /** Forgets everything (a new fake shell in the UI tests). */
  reset(): void {
    this.current = null;
    this.#pending = null;
    void this.#listening?.then((un) => un());
    this.#listening = null;
  }

  async #fetch(): Promise<Settings> {
    try {
      const settings = await getSettings();
      this.current = settings;
      return settings;
    } catch (err) {
      this.#pending = null;
      throw err;
    }
  }
}

export const settingsStore = new SettingsStore();
