import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { intOption, isoOption, listOption, numberOption } from './options.js';

describe('CLI option parsers', () => {
  it('isoOption reads dates as UTC and refuses impossible ones', () => {
    const iso = isoOption('--from');
    expect(iso('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(iso('2024-03-01T12:00')).toBe(Date.UTC(2024, 2, 1, 12));
    expect(iso('2024-03-01T12:00+02:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(() => iso('2024-02-30')).toThrow(/--from must be an ISO date .* was "2024-02-30"/);
    expect(() => iso('yesterday')).toThrow(InvalidArgumentError);
  });
  it('number, int and list parsers name the flag and the value', () => {
    expect(() => numberOption('--fee-rate', 0, 1)('2')).toThrow(/--fee-rate must be in \[0, 1\], was 2/);
    expect(() => intOption('--bars', 1)('1.5')).toThrow(/--bars must be an integer >= 1, was "1.5"/);
    expect(() => listOption('--symbols')('A,,B')).toThrow(/without empty items/);
    expect(listOption('--symbols')(' A, B ')).toEqual(['A', 'B']);
  });
});
