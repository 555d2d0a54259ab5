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
    expect(formatLogLine(line)).toBe(
      '2024-01-02T03:00:00.000Z  WARN   arena     expired  modelId=s/3 rules=[1]',
    );
    expect(formatLogLine('not json')).toBe('not json');
  });
});
