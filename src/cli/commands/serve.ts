// `hybrid-trader serve`: the REST API, /metrics and the dashboard for one workspace, until SIGTERM/SIGINT.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { loadWorkspaceConfig } from '../../config/workspace-config.js';
import { ConfigError } from '../../core/errors.js';
import { DEFAULT_STORAGE_URL } from '../../training/storage/storage-config.js';
import { intOption } from '../options.js';
import { ROOT_HELP, workspaceRoot } from '../root.js';
import { VERSION } from '../version.js';

/** A TCP port, 0 (any free one) to 65535. */
function portOption(value: string): number {
  const port = intOption('--port', 0)(value);
  if (port > 65_535) throw new InvalidArgumentError(`--port must be at most 65535, was ${port}`);
  return port;
}

interface ServeFlags {
  root?: string;
  host?: string;
  port?: number;
  storage?: string;
  json?: boolean;
}

/**
 * The study storage to show. With the default (sqlite:///studies.db) and no studies.db in the workspace,
 * a studies.db one level up is used (the demo keeps its study beside its mode folders: serve --root
 * demo/hybrid); with none there either, the note says how to point at one.
 */
function studyStorageOf(root: string, url: string): { url: string; note: string | null } {
  if (url !== DEFAULT_STORAGE_URL || existsSync(join(root, 'studies.db'))) return { url, note: null };
  const above = resolve(root, '..', 'studies.db');
  if (existsSync(above))
    return {
      url: `sqlite:///${above}`,
      note: `studies: ${above} (no studies.db in the workspace; this one is one level up, as the demo keeps it; --storage to choose another)`,
    };
  return {
    url,
    note: `studies: none in ${root} (no studies.db); the trials panel stays empty: --storage sqlite:////path/to/studies.db shows a study kept elsewhere`,
  };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API, /metrics and the dashboard of a workspace (read-only without a token)')
    .option('--root <dir>', ROOT_HELP)
    .option(
      '--host <address>',
      'interface to bind; anything but loopback exposes the API to the network (default: hybrid.config.json server.host, 127.0.0.1)',
    )
    .option(
      '--port <n>',
      'TCP port, 0: any free port, printed (default: hybrid.config.json server.port, 8787)',
      portOption,
    )
    .option(
      '--storage <url>',
      'study storage: sqlite:///studies.db (relative paths under --root) or postgresql://user@host:5432/db (default: storage.url of hybrid.config.json, else sqlite:///studies.db)',
    )
    .option('--json', 'print {"url", "root", "mutations"} as the first line instead of text')
    .addHelpText(
      'after',
      '\nMutating endpoints (pause, resume, promote, demote, rollback) need HYBRID_TRADER_API_TOKEN set in the\nenvironment and sent as "Authorization: Bearer <token>"; without it they answer 403. See docs/api.md.',
    )
    .action(async (flags: ServeFlags) => {
      const { API_TOKEN_ENV, startServer } = await import('../../server/index.js');
      const root = workspaceRoot(flags.root);
      // an empty API for a mistyped folder would look like a healthy, idle workspace
      if (!existsSync(root) || !statSync(root).isDirectory())
        throw new ConfigError('WORKSPACE_MISSING', `workspace root ${root} is not a folder`, { root });
      // the whole file is validated (a bad one exits 2, as for every command); flags win over its server section
      const workspace = loadWorkspaceConfig(root);
      const config = workspace.server;
      const token = process.env[API_TOKEN_ENV] || undefined;
      const studies = studyStorageOf(root, flags.storage ?? workspace.storage.url);
      const server = await startServer({
        root,
        version: VERSION,
        token,
        host: flags.host ?? config.host,
        port: flags.port ?? config.port,
        storage: studies.url,
        onError: (error, request) =>
          process.stderr.write(
            `error answering ${request.method} ${request.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
          ),
      });
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ url: server.url, root, mutations: token !== undefined })}\n`
          : `serving ${root} at ${server.url}\n${token ? 'mutating endpoints enabled (bearer token set)' : `mutating endpoints disabled (set ${API_TOKEN_ENV} to enable them)`}\n${studies.note ? `${studies.note}\n` : ''}`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void server.close().then(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
