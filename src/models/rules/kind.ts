// The rule kind: a named strategy with parameters; no files besides the manifest, no training beyond sampling.
import { z } from 'zod';
import { ModelError } from '../../core/errors.js';
import { formatIssues } from '../../core/schema-issues.js';
import { kindManifestSchema } from '../bundle/manifest.js';
import { defineKind } from '../kind.js';
import { isRuleName, RULE_NAMES, RULE_STRATEGIES } from './registry.js';

export const RuleManifestSchema = kindManifestSchema('rule', {
  /** The strategy (see RULE_STRATEGIES); its parameters are the manifest's `params`. */
  strategy: z.string().min(1),
});
export type RuleManifest = z.infer<typeof RuleManifestSchema>;

export const ruleKind = defineKind({
  kind: 'rule',
  manifestSchema: RuleManifestSchema,
  files: () => [],
  load({ dir, manifest }, market, ctx) {
    const strategy = manifest.strategy;
    if (!isRuleName(strategy))
      throw new ModelError('BUNDLE_INVALID', `${dir}: unknown rule strategy "${strategy}"`, { dir });
    const params = RULE_STRATEGIES[strategy].params.safeParse(manifest.params);
    if (!params.success)
      throw new ModelError(
        'BUNDLE_INVALID',
        `${dir}: invalid params: ${formatIssues(params.error, manifest.params, { prefix: ['params'] })}`,
        { dir },
      );
    const policy = RULE_STRATEGIES[strategy].create(manifest.symbols, market.timeframeMs, params.data);
    return { ...policy, name: ctx.name };
  },
  // One `--kind` per strategy: its search space samples the parameters; rules need no training (the same
  // policy is validated on every fold and kept).
  training: RULE_NAMES.map((strategy) => ({
    name: strategy,
    sample(trial) {
      const rule = RULE_STRATEGIES[strategy];
      const params = rule.params.parse(rule.search(trial));
      return (ctx) => {
        const policy = rule.create(ctx.market.symbols, ctx.market.timeframeMs, params);
        return {
          policyForFold: () => policy,
          finish: () => ({ policy, manifest: { kind: 'rule', strategy, params }, files: new Map() }),
        };
      };
    },
  })),
});
