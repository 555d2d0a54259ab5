// The deployment timeline: the deployer's decisions with their reasons, newest first.
import type { HistoryAction, HistoryEntry, Page } from '../api-types.js';
import { el, reconcile, setText } from '../dom.js';
import { utcTime } from '../format.js';

export interface TimelineSection {
  /** Fetches the recent end of deployments/history.jsonl and shows it. */
  load(fetchPage: (offset: number, limit: number) => Promise<Page<HistoryEntry>>): Promise<void>;
}

/** Entries kept from the end of the journal (skips are many); entries shown. */
const KEEP = 500;
const SHOWN = 100;
const ROUTINE: ReadonlySet<HistoryAction> = new Set<HistoryAction>(['skip', 'rescore']);

export function createTimeline(list: HTMLElement, showAll: HTMLInputElement): TimelineSection {
  let entries: { index: number; entry: HistoryEntry }[] = [];
  let total = 0;
  const render = () => {
    const visible = entries
      .filter((e) => showAll.checked || !ROUTINE.has(e.entry.action))
      .slice(-SHOWN)
      .reverse();
    if (visible.length === 0) {
      list.replaceChildren(
        el('li', 'empty', total === 0 ? 'No decisions yet.' : 'No deployments or promotions yet.'),
      );
      return;
    }
    reconcile(
      list,
      visible,
      (e) => String(e.index),
      () => el('li', '', el('time'), el('span', 'action'), el('span', 'model'), el('p', 'reason')),
      (li, { entry }) => {
        const [time, action, model, reason] = Array.from(li.children) as HTMLElement[];
        li.dataset['action'] = entry.action;
        setText(time!, utcTime(entry.at));
        time!.setAttribute('datetime', entry.at);
        setText(action!, entry.action);
        setText(model!, entry.modelId ?? '');
        setText(reason!, entry.reason);
      },
    );
  };
  showAll.addEventListener('change', render);
  return {
    async load(fetchPage) {
      let page = await fetchPage(Math.max(0, total - KEEP), 1000);
      if (page.total > page.offset + page.entries.length)
        page = await fetchPage(Math.max(0, page.total - KEEP), 1000);
      total = page.total;
      entries = page.entries.map((entry, k) => ({ index: page.offset + k, entry })).slice(-KEEP);
      render();
    },
  };
}
