import { fireEvent, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ExportSummary } from '../lib/bindings';
import { EXPORT_FOLDER, settle } from '../test/backend';
import { openSettings } from '../test/journal';

const $ = <T extends HTMLElement>(css: string) => document.querySelector<T>(css)!;
const dir = () => $<HTMLInputElement>('#export-dir');
const runButton = () => $<HTMLButtonElement>('#export-run');

describe('export', () => {
  it('prefills the default folder and exports JSON there', async () => {
    const shell = await openSettings({
      export_journal: (a): ExportSummary => ({ dir: String(a.dir), format: 'json', entries: 42, files: 43, skippedDamaged: [] }),
    });
    expect(dir().value).toBe(EXPORT_FOLDER);
    expect(screen.getByLabelText('JSON — one file with everything')).toHaveProperty('checked', true);
    await fireEvent.click(runButton());
    await settle();
    expect(shell.callsOf('export_journal').map((c) => c.args)).toEqual([{ format: 'json', dir: EXPORT_FOLDER }]);
    expect($('#export-result').textContent).toBe(`Exported 42 entries to ${EXPORT_FOLDER} (43 files).`);
  });

  it('exports Markdown to a typed folder, and counts one entry in the singular', async () => {
    const shell = await openSettings({
      export_journal: (a): ExportSummary => ({ dir: String(a.dir), format: 'markdown', entries: 1, files: 1, skippedDamaged: [] }),
    });
    await fireEvent.click(screen.getByLabelText('Markdown — one file per day'));
    await fireEvent.input(dir(), { target: { value: '  /tmp/out  ' } });
    await fireEvent.click(runButton());
    await settle();
    expect(shell.callsOf('export_journal').map((c) => c.args)).toEqual([{ format: 'markdown', dir: '/tmp/out' }]);
    expect($('#export-result').textContent).toBe('Exported 1 entry to /tmp/out (1 file).');
  });

  it('Choose… opens the picker at the current folder and takes its answer', async () => {
    const answers: (string | null)[] = ['/media/usb/backup', null];
    const shell = await openSettings({ choose_export_folder: () => answers.shift() ?? null });
    await fireEvent.click($('#export-choose'));
    await settle();
    expect(dir().value).toBe('/media/usb/backup');
    // Cancelled: the field keeps its folder.
    await fireEvent.click($('#export-choose'));
    await settle();
    expect(dir().value).toBe('/media/usb/backup');
    expect(shell.callsOf('choose_export_folder').map((c) => c.args)).toEqual([
      { current: EXPORT_FOLDER },
      { current: '/media/usb/backup' },
    ]);
  });

  it('opens the picker without a start folder when the field is empty', async () => {
    const shell = await openSettings();
    await fireEvent.input(dir(), { target: { value: ' ' } });
    await fireEvent.click($('#export-choose'));
    await settle();
    expect(shell.callsOf('choose_export_folder')[0].args).toEqual({ current: null });
    expect(runButton().disabled).toBe(true);
  });

  it('disables Export while it runs and without a folder', async () => {
    let finish: ((s: ExportSummary) => void) | null = null;
    const shell = await openSettings({
      export_journal: () => new Promise<ExportSummary>((r) => (finish = r)),
    });
    await fireEvent.input(dir(), { target: { value: '' } });
    expect(runButton().disabled).toBe(true);
    await fireEvent.input(dir(), { target: { value: '/tmp/x' } });
    expect(runButton().disabled).toBe(false);
    await fireEvent.click(runButton());
    await settle();
    expect(runButton().disabled).toBe(true);
    expect(runButton().textContent?.trim()).toBe('Exporting…');
    await fireEvent.click(runButton());
    finish!({ dir: '/tmp/x', format: 'json', entries: 0, files: 1, skippedDamaged: [] });
    await settle();
    expect(runButton().disabled).toBe(false);
    expect(shell.callsOf('export_journal')).toHaveLength(1);
    expect($('#export-result').textContent).toBe('Exported 0 entries to /tmp/x (1 file).');
  });

  it('shows why an export failed', async () => {
    await openSettings({
      export_journal: () => {
        throw { code: 'storage', message: 'Could not write /root/x: permission denied' };
      },
    });
    await fireEvent.click(runButton());
    await settle();
    const result = $('#export-result');
    expect(result.textContent).toBe('Could not write /root/x: permission denied');
    expect(result.getAttribute('role')).toBe('alert');
  });
});
