// The problems banner: state files the server could not read and API requests that failed.
import type { Problem } from '../api-types.js';
import { el, setText } from '../dom.js';

export interface ProblemsBanner {
  /** Shows `problems` (deduplicated) and, when the server is unreachable, `connection`; hides when empty. */
  show(problems: readonly Problem[], connection: string | null): void;
}

export function createProblemsBanner(root: HTMLElement): ProblemsBanner {
  const title = el('h2', 'problems-title');
  const list = el('ul');
  root.replaceChildren(title, list);
  let shown = '';
  return {
    show(problems, connection) {
      const unique = [...new Map(problems.map((p) => [`${p.file}\n${p.error}`, p])).values()];
      const key = JSON.stringify([unique, connection]);
      if (key === shown) return;
      shown = key;
      root.hidden = unique.length === 0 && connection === null;
      setText(
        title,
        connection !== null
          ? 'The server cannot be reached'
          : `${unique.length} problem${unique.length === 1 ? '' : 's'} with the workspace`,
      );
      list.replaceChildren(
        ...(connection === null ? [] : [el('li', '', connection)]),
        ...unique.map((p) =>
          el(
            'li',
            p.severity === 'warning' ? 'problem-warning' : '',
            ...(p.code ? [el('strong', '', p.code), ' '] : []),
            el('code', '', p.file),
            `: ${p.error}`,
          ),
        ),
      );
    },
  };
}
