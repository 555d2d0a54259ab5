// Reads the import graph of a source tree and checks it against the dependency rule (layers.ts): which
// module may import which, and which modules must stay pure (no I/O, no clock, no ambient randomness).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';
import { type DependencyRule, moduleOf, type Placement } from './layers.js';

/** One import of a file: the specifier as written and, for relative ones, the file it names (under the root). */
export interface ImportEdge {
  readonly from: string;
  /** Path relative to the root, '/'-separated; null for a package ('zod', 'node:fs'). */
  readonly to: string | null;
  readonly specifier: string;
  readonly line: number;
}

/** A use of the clock, ambient randomness, the environment or the network found in a file. */
export interface ImpureUse {
  readonly file: string;
  readonly what: string;
  readonly line: number;
}

/** What a source file holds that the rule looks at. */
export interface SourceFacts {
  readonly file: string;
  readonly imports: readonly ImportEdge[];
  readonly impure: readonly ImpureUse[];
}

/** Packages that do I/O: a pure module may not import them. */
const IO_PACKAGES = new Set(
  [
    'fs',
    'fs/promises',
    'child_process',
    'net',
    'http',
    'https',
    'http2',
    'dgram',
    'dns',
    'worker_threads',
    'cluster',
    'readline',
  ].flatMap((name) => [name, `node:${name}`]),
);

/** `Object.member` reads that are a clock, ambient randomness or the environment. */
const IMPURE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Date: ['now'],
  Math: ['random'],
  performance: ['now'],
  process: ['env', 'hrtime', 'argv', 'cwd'],
  crypto: ['getRandomValues', 'randomUUID'],
};

const posix = (path: string) => path.split(sep).join('/');

/** Parses one file (TypeScript source text) into its imports and impure uses. */
export function factsOf(file: string, text: string): SourceFacts {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports: ImportEdge[] = [];
  const impure: ImpureUse[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const addImport = (specifier: string, node: ts.Node) => {
    const relativePath = specifier.startsWith('.');
    const target = relativePath
      ? posix(normalize(join(dirname(file), specifier))).replace(/\.js$/, '.ts')
      : null;
    imports.push({ from: file, to: target, specifier, line: lineOf(node) });
    if (!relativePath && IO_PACKAGES.has(specifier))
      impure.push({ file, what: `imports ${specifier}`, line: lineOf(node) });
  };
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      addImport(node.moduleSpecifier.text, node);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      addImport(node.arguments[0].text, node);
    else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const members = IMPURE_MEMBERS[node.expression.text];
      if (members?.includes(node.name.text))
        impure.push({ file, what: `${node.expression.text}.${node.name.text}`, line: lineOf(node) });
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    )
      impure.push({ file, what: 'new Date() (the clock)', line: lineOf(node) });
    else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'fetch'
    )
      impure.push({ file, what: 'fetch()', line: lineOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, imports, impure };
}

/** Every .ts file under `dir` (relative to `root`, '/'-separated), sorted. */
export function sourceFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(root, path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(posix(relative(root, path)));
  }
  return out.sort();
}

/** The facts of every .ts file under `root`. */
export function readTree(root: string): SourceFacts[] {
  return sourceFiles(root).map((file) => factsOf(file, readFileSync(join(root, file), 'utf8')));
}

/** One breach of the dependency rule, as a line a person can act on. */
export type Violation = string;

/**
 * Checks every file against `rule`. Tests and their helpers may import anything; code that ships may import only
 * modules of lower layers (or its own module), never a test-only file, never across the isolated folders of
 * one module, and a pure module (minus its named I/O edges) neither imports an I/O package nor reads the
 * clock, ambient randomness, the environment or the network.
 */
export function checkDependencyRule(files: readonly SourceFacts[], rule: DependencyRule): Violation[] {
  const out: Violation[] = [];
  for (const facts of files) {
    const from = moduleOf(facts.file, rule);
    if (from === null) {
      out.push(`${facts.file}: in no module of the rule (add its folder to the layers)`);
      continue;
    }
    if (rule.isTestOnly(facts.file)) continue; // tests and their helpers may import anything
    for (const edge of facts.imports) {
      if (edge.to === null) continue;
      const to = moduleOf(edge.to, rule);
      const at = `${facts.file}:${edge.line} imports ${edge.specifier}`;
      if (to === null) out.push(`${at}: outside every module of the rule`);
      else if (rule.isTestOnly(edge.to) && !rule.isTestOnly(facts.file))
        out.push(`${at}: test-only code, which must not ship (dist/) with the module`);
      else if (!allowed(from, to, rule)) out.push(`${at}: ${describe(from)} may not import ${describe(to)}`);
      else {
        const crossing = isolatedCrossing(facts.file, edge.to, rule);
        if (crossing) out.push(`${at}: ${crossing}`);
      }
    }
    if (from.pure && !rule.ioEdges.has(facts.file))
      for (const use of facts.impure)
        out.push(
          `${facts.file}:${use.line} ${use.what}: ${from.name}/ is pure (no I/O, no clock, no ambient randomness); pass them in, or do it at an I/O edge`,
        );
  }
  return out;
}

function describe(p: Placement): string {
  return `${p.name}/ (layer ${p.layer})`;
}

/** Imports flow down the layers: to a lower layer, or within one module. */
function allowed(from: Placement, to: Placement, rule: DependencyRule): boolean {
  if (from.name === to.name) return true;
  if (to.layer < from.layer) return true;
  return rule.exceptions.some((e) => e.from === from.name && e.to === to.name);
}

/** Folders of one module that talk only through the module's shared files (e.g. lifecycle's services). */
function isolatedCrossing(fromFile: string, toFile: string, rule: DependencyRule): string | null {
  for (const [module, folders] of Object.entries(rule.isolated)) {
    const folderOf = (file: string) => {
      const parts = file.split('/');
      return parts[0] === module && folders.includes(parts[1] ?? '') ? parts[1]! : null;
    };
    const a = folderOf(fromFile);
    const b = folderOf(toFile);
    if (a !== null && b !== null && a !== b)
      return `${module}/${a} may not import ${module}/${b}: they meet in ${module}/'s shared files (contracts)`;
  }
  return null;
}

/** The package an import specifier names ('@scope/name/sub' -> '@scope/name'), or null for node builtins. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Packages imported by code that ships but not listed in `dependencies` (a test oracle belongs in
 * devDependencies, and then only tests may import it).
 */
export function undeclaredPackages(
  files: readonly SourceFacts[],
  rule: DependencyRule,
  dependencies: ReadonlySet<string>,
): Violation[] {
  const out: Violation[] = [];
  for (const facts of files) {
    if (rule.isTestOnly(facts.file)) continue;
    for (const edge of facts.imports) {
      if (edge.to !== null) continue;
      const name = packageOf(edge.specifier);
      if (name !== null && !dependencies.has(name) && !NODE_BUILTINS.has(name))
        out.push(`${facts.file}:${edge.line} imports ${edge.specifier}: not in package.json's dependencies`);
    }
  }
  return out;
}

const NODE_BUILTINS = new Set(builtinModules);
