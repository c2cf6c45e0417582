import { describe, expect, it } from 'vitest';
import { readDateLine } from '../../src/ingest/page-dates.js';

describe('readDateLine reads a page date line as a calendar day', () => {
  it.each([
    ['09.10.2025, 18:42', '2025-10-09'],
    ['9.10.2025', '2025-10-09'],
    ['October 10, 2025 · 5 min read', '2025-10-10'],
    ['10 Oct 2025', '2025-10-10'],
    ['2025-10-10', '2025-10-10'],
    ['2025-10-10T18:42:00Z', '2025-10-10'],
    ['Published: Friday, October 10, 2025', '2025-10-10'],
    ['Published 11:20 a.m. CET Oct. 11, 2025', '2025-10-11'],
    ['Thursday 9 October 2025 18:05 BST', '2025-10-09'],
    ['Posted on 12th of October 2025', '2025-10-12'],
    ['10 октября 2025 г., 14:00', '2025-10-10'],
    ['25/10/2025', '2025-10-25'],
    ['10/25/2025', '2025-10-25'],
  ])('%s → %s', (line, date) => {
    expect(readDateLine(line)?.date).toBe(date);
  });

  it('a slashed date that reads both ways is a date line without a day', () => {
    expect(readDateLine('03/04/2025')).toMatchObject({ date: null, written: '03/04/2025' });
  });

  it('a day that does not exist is no day', () => {
    expect(readDateLine('31.02.2025')?.date).toBeNull();
  });

  it('says when a line gives the update, and names the writer of "… by Name"', () => {
    expect(readDateLine('Updated: 11.10.2025')).toMatchObject({ date: '2025-10-11', updated: true });
    expect(readDateLine('Posted on 12 Oct 2025 by Daniel Moretti')).toMatchObject({ date: '2025-10-12', updated: false, byline: 'Daniel Moretti' });
  });

  it.each([
    'The dam opened on October 10, 2025, after eleven years of delays and a change of design.',
    'Kessel dam opens after eleven years of delays',
    'Tickets cost 10.50 each.',
  ])('%s is no date line', (line) => {
    expect(readDateLine(line)).toBeUndefined();
  });
});
