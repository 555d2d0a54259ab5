// The workers table: the `worker` processes recorded in the studies (host, pid, trials done, last heartbeat).
import type { WorkerRow } from '../api-types.js';
import { el, reconcile, setText } from '../dom.js';
import { duration } from '../format.js';

export interface WorkersSection {
  update(workers: readonly WorkerRow[]): void;
}

const COLUMNS = ['worker', 'host', 'pid', 'kind', 'status', 'trials', 'running', 'heartbeat'] as const;

export function createWorkers(body: HTMLElement, note: HTMLElement): WorkersSection {
  return {
    update(workers) {
      setText(
        note,
        workers.length === 0
          ? 'No worker has joined a study of this storage (hybrid-trader worker; see docs/distributed.md).'
          : `${workers.filter((w) => w.status === 'running').length} running, ${workers.filter((w) => w.status === 'lost').length} lost (no heartbeat for 3 intervals without a clean stop).`,
      );
      reconcile(
        body,
        workers,
        (w) => `${w.study}\n${w.id}`,
        () => {
          const tr = el('tr');
          for (const c of COLUMNS) {
            const td = el('td', ['pid', 'trials'].includes(c) ? 'num' : undefined);
            td.dataset['col'] = c;
            tr.appendChild(td);
          }
          return tr;
        },
        (tr, w) => {
          tr.dataset['status'] = w.status;
          const cell = (c: (typeof COLUMNS)[number]) => tr.querySelector(`[data-col="${c}"]`)!;
          setText(cell('worker'), `${w.study}/${w.id}`);
          setText(cell('host'), w.host);
          setText(cell('pid'), String(w.pid));
          setText(cell('kind'), w.kind);
          setText(cell('status'), w.status);
          setText(cell('trials'), `${w.trialsDone} (${w.complete} / ${w.pruned} / ${w.failed})`);
          setText(cell('running'), w.running.length === 0 ? '–' : w.running.join(', '));
          setText(cell('heartbeat'), `${duration(w.lastHeartbeatAgeSeconds)} ago`);
        },
      );
    },
  };
}
