import { describe, expect, it } from 'vitest';
import { TRAINABLE_KINDS } from '../training/kinds/index.js';
import { kindOf, ManifestSchema, MODEL_KINDS, TRAINING_OPTIONS } from './kinds.js';

describe('the model-kind registry', () => {
  it('has one module per kind, each owning the manifest schema of its `kind`', () => {
    expect(MODEL_KINDS.map((k) => k.kind)).toEqual(['rule', 'ppo', 'ensemble', 'onnx']);
    for (const k of MODEL_KINDS) {
      expect(k.manifestSchema.shape.kind.value).toBe(k.kind);
      expect(kindOf(k.kind)).toBe(k);
    }
    expect(kindOf('lstm')).toBeUndefined();
    // the union is chosen by `kind`: an unknown kind is refused naming the field
    const parsed = ManifestSchema.safeParse({ schemaVersion: 2, kind: 'lstm' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['kind']);
  });

  it("offers `--kind` options in registry order, the order `--kind any`'s stored choices depend on", () => {
    expect(TRAINING_OPTIONS.map((o) => o.name)).toEqual(['sma-cross', 'momentum', 'rsi-reversion', 'ppo']);
    expect(TRAINABLE_KINDS).toEqual(['sma-cross', 'momentum', 'rsi-reversion', 'ppo']);
  });
});
