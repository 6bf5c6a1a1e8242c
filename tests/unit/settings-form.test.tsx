// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsForm } from '@/components/SettingsForm';
import { loadEffectiveSettings, saveSettings, DEFAULT_SETTINGS } from '@/utils/settings';
import { freshDb } from './helpers';

afterEach(cleanup);

function renderForm() {
  const db = freshDb();
  render(<SettingsForm initial={DEFAULT_SETTINGS} onSave={(values) => saveSettings(db, values)} />);
  return db;
}

describe('settings form', () => {
  it('has the contract names and saves a valid endpoint and token', async () => {
    const db = renderForm();
    fireEvent.input(screen.getByRole('textbox', { name: 'Endpoint URL' }), { target: { value: 'https://school.example.cn/report' } });
    fireEvent.input(screen.getByLabelText('Access token'), { target: { value: 'abc123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(await loadEffectiveSettings(db)).toEqual({ ...DEFAULT_SETTINGS, endpointUrl: 'https://school.example.cn/report', accessToken: 'abc123' });
  });

  it('refuses an insecure endpoint with a clear error, saves nothing and keeps the input', async () => {
    const db = renderForm();
    const input = screen.getByRole<HTMLInputElement>('textbox', { name: 'Endpoint URL' });
    fireEvent.input(input, { target: { value: 'http://school.example.cn/report' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    // Wait for the save to finish: the hint under the field also says "must start with https://".
    expect(await screen.findByText('Settings were not saved. Please fix the marked fields.')).toBeTruthy();
    expect(document.getElementById('endpoint-error')?.textContent).toMatch(/must start with https:\/\//);
    expect(input.value).toBe('http://school.example.cn/report');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('endpoint-error');
    await waitFor(() => expect(document.activeElement).toBe(input));
    expect(await loadEffectiveSettings(db)).toEqual(DEFAULT_SETTINGS);
  });

  it('hides the token unless asked to show it', () => {
    renderForm();
    const token = screen.getByLabelText<HTMLInputElement>('Access token');
    expect(token.type).toBe('password');
    fireEvent.click(screen.getByRole('checkbox', { name: 'Show token' }));
    expect(token.type).toBe('text');
  });
});
