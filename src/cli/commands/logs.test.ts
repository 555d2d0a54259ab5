import { describe, expect, it } from 'vitest';
import { formatLogLine } from './logs.js';

describe('logs formatting', () => {
  it('renders a JSON log line readably and passes other lines through', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2024, 0, 2, 3),
      service: 'arena',
      msg: 'expired',
      modelId: 's/3',
      rules: [1],
    });
    expect(formatLogLine(line)).toBe('2024-01-02 03:00:00  WARN   arena     expired  modelId=s/3 rules=[1]');
    expect(formatLogLine('not json')).toBe('not json');
  });

  it('prints times as UTC dates, numbers rounded to 4 significant digits, and gate rules as text', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1718730000000,
      service: 'arena',
      msg: 'member expired',
      barTs: 1718726400000,
      enteredAt: 1718640000000,
      hours: 24,
      returnPct: -0.13292339701583833,
      sharpe: -33.477025310942764,
      trades: 1,
      sortino: null,
      rules: [
        { rule: 'minHours', threshold: 168, value: 336, passed: true },
        { rule: 'minExcessPct', threshold: 2, value: -0.93951234, passed: false },
      ],
    });
    expect(formatLogLine(line)).toBe(
      '2024-06-18 17:00:00  INFO   arena     member expired  barTs=2024-06-18 16:00 enteredAt=2024-06-17 16:00 hours=24 returnPct=-0.1329 sharpe=-33.48 trades=1 sortino=null rules=[✓ minHours 336 vs 168, ✗ minExcessPct -0.9395 vs 2]',
    );
  });
});
