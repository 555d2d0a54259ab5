import { describe, expect, it } from 'vitest';
import { type InSampleModel, inSampleWarning, refuseInSampleComparison } from './in-sample.js';

const model: InSampleModel = {
  study: 'demo',
  trialNumber: 3,
  modelPath: 'models/demo/3',
  windows: [
    { role: 'training', from: '2024-01-01T00:00:00.000Z', to: '2024-06-30T23:00:00.000Z' },
    { role: 'validation', from: '2024-05-10T12:00:00.000Z', to: '2024-05-20T11:00:00.000Z' },
    { role: 'validation', from: '2024-06-21T00:00:00.000Z', to: '2024-06-30T23:00:00.000Z' },
  ],
  bars: 48,
  hours: 48,
  outOfSampleFrom: '2024-07-01T00:00:00.000Z',
  evidence: 'same-bars',
};

describe('inSampleWarning', () => {
  it('names the model, the hours it saw, its training window and counts the validation windows inside it', () => {
    expect(inSampleWarning(model)).toBe(
      'warning: in-sample: trial 3 of demo (models/demo/3) was trained or validated on 48 h of this window (training 2024-01-01T00:00Z..2024-06-30T23:00Z and 2 validation windows; the same bars): its figures here are in-sample; out of sample from 2024-07-01T00:00Z',
    );
  });

  it('lists validation windows when the training window is not among the overlapping ones', () => {
    const validationOnly = {
      ...model,
      trialNumber: null,
      windows: model.windows.slice(1),
      evidence: 'same-dates' as const,
    };
    expect(inSampleWarning(validationOnly)).toContain(
      'model of demo (models/demo/3) was trained or validated on 48 h of this window (validation 2024-05-10T12:00Z..2024-05-20T11:00Z and validation 2024-06-21T00:00Z..2024-06-30T23:00Z; the same dates)',
    );
  });
});

describe('refuseInSampleComparison', () => {
  it('passes an out-of-sample comparison', () => {
    expect(() => refuseInSampleComparison([], 5, 'w')).not.toThrow();
  });

  it('refuses with IN_SAMPLE_COMPARISON (exit 2), saying from where the models are out of sample', () => {
    const later = { ...model, trialNumber: 4, outOfSampleFrom: '2024-08-01T00:00:00.000Z' };
    expect(() => refuseInSampleComparison([model, later], 5, 'a..b')).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        code: 'IN_SAMPLE_COMPARISON',
        message: expect.stringMatching(
          /^replay --compare over a\.\.b: 2 of the 5 models .*Replay from 2024-08-01T00:00Z/,
        ),
      }),
    );
  });
});
