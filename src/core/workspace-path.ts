// Paths of a workspace's own files as state files store them: relative to the workspace root.
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

/**
 * The path to store for `path`: relative to `root` when it lies inside the workspace (so a copied or
 * restored workspace uses its own files), absolute otherwise.
 */
export function toWorkspacePath(root: string, path: string): string {
  const absolute = resolve(root, path);
  const rel = relative(resolve(root), absolute);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)
    ? absolute
    : normalize(rel);
}

/** Where a stored path is on disk: relative paths are under `root`; absolute ones (older files, outside) as they are. */
export function fromWorkspacePath(root: string, path: string): string {
  return isAbsolute(path) ? path : resolve(root, path);
}

/** Whether a stored path points outside the workspace (absolute and not under `root`). */
export function isOutsideWorkspace(root: string, path: string): boolean {
  return isAbsolute(toWorkspacePath(root, path));
}
