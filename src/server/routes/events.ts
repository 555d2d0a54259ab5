// GET /api/events: server-sent `update` events whenever a state file changes (mtimes polled).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { arenaPaths } from '../../lifecycle/arena/index.js';
import { DEPLOYMENT_HISTORY_FILE, DEPLOYMENT_STATE_FILE } from '../../lifecycle/deployer/index.js';
import { PaperStateSchema, paperPaths } from '../../lifecycle/paper/index.js';
import { EventUpdateSchema, type Problem } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { sendError } from '../respond.js';
import { readStateFile } from '../state-readers.js';

/** Open event streams at most: each polls the file system, so their number is bounded. */
export const MAX_EVENT_STREAMS = 16;

/** A string that changes whenever one of the watched files is written, created or removed. */
function stateSignature(root: string): string {
  const files = [
    paperPaths(root).state,
    arenaPaths(root).state,
    arenaPaths(root).candidate,
    join(root, DEPLOYMENT_STATE_FILE),
    join(root, DEPLOYMENT_HISTORY_FILE),
  ];
  return files
    .map((f) => {
      const stat = statSync(f, { throwIfNoEntry: false });
      return stat ? `${stat.mtimeMs}:${stat.size}` : '-';
    })
    .join('|');
}

function lastBarIso(root: string): string | null {
  const problems: Problem[] = [];
  const paper = readStateFile(paperPaths(root).state, PaperStateSchema, problems);
  return paper?.lastBarTs == null ? null : new Date(paper.lastBarTs).toISOString();
}

export function registerEventRoutes(app: Hono, ctx: ApiContext): void {
  let open = 0;
  app.get('/api/events', (c) => {
    if (open >= MAX_EVENT_STREAMS) return sendError(c, 503, 'too many event streams; poll instead');
    open++;
    return streamSSE(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      try {
        let seen = '';
        while (!closed && !stream.aborted) {
          const signature = stateSignature(ctx.root);
          if (signature !== seen) {
            seen = signature;
            const data = EventUpdateSchema.parse({ lastBarTs: lastBarIso(ctx.root) });
            await stream.writeSSE({ event: 'update', data: JSON.stringify(data) });
          }
          await stream.sleep(ctx.eventsPollMs);
        }
      } finally {
        open--;
      }
    });
  });
}
