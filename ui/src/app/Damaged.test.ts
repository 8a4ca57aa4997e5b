import { fireEvent, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ExportSummary } from '../lib/bindings';
import { entry, settle } from '../test/backend';
import { openApp, openSettings } from '../test/journal';

// An entry whose stored text had invalid UTF-8: the core sends it lossily with `damaged`.
const damaged = entry({ id: 'bad', occurredAt: '2026-03-14T10:00:00Z', body: 'Hell\uFFFDo', damaged: true });
const healthy = entry({ id: 'ok', occurredAt: '2026-03-14T09:00:00Z', body: 'Fine note' });

describe('a damaged entry', () => {
  it('shows in the timeline with its lossy text and a damaged mark; the others show normally', async () => {
    await openApp({ list_timeline: () => ({ entries: [damaged, healthy], next: null }) });
    const [bad, ok] = screen.getAllByTestId('timeline-entry');
    expect(bad.dataset.entryId).toBe('bad');
    expect(within(bad).getByTestId('entry-body').textContent).toBe('Hell\uFFFDo');
    const mark = within(bad).getByTestId('damaged-mark');
    expect(mark.textContent).toBe('damaged');
    expect(mark.getAttribute('title')).toContain('not valid UTF-8');
    expect(within(ok).getByTestId('entry-body').textContent).toBe('Fine note');
    expect(within(ok).queryByTestId('damaged-mark')).toBeNull();
    expect(screen.queryByTestId('timeline-empty')).toBeNull();
  });

  it('keeps its mark in the entry view', async () => {
    await openApp({ list_timeline: () => ({ entries: [damaged], next: null }) });
    await fireEvent.click(within(screen.getByTestId('timeline-entry')).getByText('Hell\uFFFDo'));
    expect(within(screen.getByTestId('entry-view')).getByTestId('damaged-mark')).toBeTruthy();
  });

  it('is counted as skipped in the export result', async () => {
    await openSettings({
      export_journal: (a): ExportSummary => ({
        dir: String(a.dir),
        format: 'json',
        entries: 2,
        files: 1,
        skippedDamaged: ['bad'],
      }),
    });
    await fireEvent.click(document.querySelector<HTMLButtonElement>('#export-run')!);
    await settle();
    expect(document.querySelector('#export-result')!.textContent).toMatch(
      /^Exported 2 entries to .* \(1 file\)\. Skipped 1 damaged entry \(stored text not valid UTF-8\)\.$/,
    );
  });
});
