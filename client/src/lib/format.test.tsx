import { describe, expect, it } from 'vitest';
import { formatRelative } from './format';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('formatRelative', () => {
  it.each([
    [10, 'just now'],
    [5 * 60, '5 minutes ago'],
    [3 * 3600, '3 hours ago'],
    [86400, 'yesterday'],
    [4 * 86400, '4 days ago'],
  ])('says a time %i s ago as “%s”', (seconds, expected) => {
    expect(formatRelative(ago(seconds), NOW)).toBe(expected);
  });

  it('gives the date for anything older than a month', () => {
    expect(formatRelative(ago(60 * 86400), NOW)).toMatch(/2026/);
  });
});
