// Loading an arena member's policy: a missing bundle, a loader error or other symbols become a reason string.
import { existsSync } from 'node:fs';
import { fromWorkspacePath } from '../../core/workspace-path.js';
import { assertPolicyFits, type Policy } from '../../models/index.js';
import type { ModelRef, PolicyLoader } from '../contracts.js';

/** A bundle is there while its folder (under the workspace `root` when relative) exists. */
export function defaultBundleExists(root: string, ref: ModelRef): boolean {
  return existsSync(fromWorkspacePath(root, ref.modelPath));
}

/** The model's policy, or why it cannot be used (never throws: one bad model never stops the arena). */
export function loadMember(
  ref: ModelRef,
  options: {
    readonly root: string;
    readonly symbols: readonly string[];
    readonly loadPolicy: PolicyLoader;
    readonly bundleExists?: (ref: ModelRef) => boolean;
  },
): Policy | string {
  try {
    const exists = options.bundleExists ?? ((r: ModelRef) => defaultBundleExists(options.root, r));
    if (!exists(ref)) return `bundle gone: ${ref.modelPath} no longer exists`;
    const policy = options.loadPolicy(ref);
    assertPolicyFits(policy, options.symbols, ref.modelId);
    return policy;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
