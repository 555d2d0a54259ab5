// The dependency rule of src/ as data: the layers (a module imports only from lower layers), the pure
// modules and their named I/O edges, the folders of one module that must not import each other, and what
// is test-only code. docs/architecture.md explains it; dependency-rule.test.ts checks src/ against it.

/** Where a module sits: its layer (0 = the bottom) and whether it must be pure. */
export interface Placement {
  readonly name: string;
  readonly layer: number;
  readonly pure: boolean;
}

export interface DependencyRule {
  /** Top-level folders of src/ with their layer and purity. */
  readonly modules: readonly Placement[];
  /** Files of pure modules that may do I/O: the module's edge, each named on purpose. */
  readonly ioEdges: ReadonlySet<string>;
  /** Per module, its folders that must not import one another (they meet in the module's shared files). */
  readonly isolated: Readonly<Record<string, readonly string[]>>;
  /** Upward imports allowed by name (none today; each would need a reason in docs/architecture.md). */
  readonly exceptions: readonly { readonly from: string; readonly to: string }[];
  /** Tests and their helpers: they may import anything, and nothing that ships may import them. */
  isTestOnly(file: string): boolean;
}

/**
 * Bottom to top. A module may import its own files and modules of lower layers only; modules of one layer
 * do not import each other. `feeds` and `state` are I/O edges low in the graph: everything above may read
 * frames and write state, and they know nothing of the services. `config` composes the sections each
 * module owns (sim, arena, exchange, notifications, ...), so it sits above them all but the entry points.
 */
const LAYERS: readonly (readonly [layer: number, name: string, pure: boolean])[] = [
  [0, 'core', true],
  [1, 'market', true],
  [1, 'metrics', true],
  [1, 'state', false],
  [2, 'features', true],
  [2, 'sim', true],
  [2, 'feeds', false],
  [3, 'models', true],
  [4, 'training', false],
  [4, 'backtest', false],
  [5, 'lifecycle', false],
  [6, 'runtime', false],
  [7, 'config', false],
  [8, 'server', false],
  [9, 'cli', false],
];

/**
 * Files of pure modules that read or write files, each the one place its module touches the disk: market
 * data files are read in one function (the parsing and validation they feed are pure), and model bundles
 * are read and written by the bundle-file helpers. The test checks that each still does I/O.
 */
const IO_EDGES = ['market/load-market.ts', 'models/bundle/bundle-files.ts'];

const TEST_ONLY = [
  /\.test\.ts$/,
  /(^|\/)testing\//,
  /(^|\/)test-fixtures\.ts$/,
  /(^|\/)reference-indicators\.ts$/,
];

export const SRC_RULE: DependencyRule = {
  modules: LAYERS.map(([layer, name, pure]) => ({ name, layer, pure })),
  ioEdges: new Set(IO_EDGES),
  isolated: { lifecycle: ['paper', 'arena', 'deployer'] },
  exceptions: [],
  isTestOnly: (file) => TEST_ONLY.some((pattern) => pattern.test(file)),
};

/** The module of a file (its top-level folder under src/), or null when the rule does not place it. */
export function moduleOf(file: string, rule: DependencyRule): Placement | null {
  const top = file.split('/')[0] ?? '';
  return rule.modules.find((m) => m.name === top) ?? null;
}
