// Small DOM helpers: build elements, and change text or attributes only when they differ (no flicker,
// no needless layout on every poll).

type Child = Node | string;

/** `<tag class=...>children</tag>`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** The element with this id; throws naming it when the page lacks it (a broken build, not a user error). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`dashboard: element #${id} is missing from index.html`);
  return node as T;
}

export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/**
 * Makes `parent`'s children the nodes of `keys`, in order: existing nodes (found by `data-key`) are kept and
 * moved, new ones made by `create`, others removed. `fill` then updates each node in place.
 */
export function reconcile<T>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  create: () => HTMLElement,
  fill: (node: HTMLElement, item: T) => void,
): void {
  const existing = new Map<string, HTMLElement>();
  for (const child of Array.from(parent.children))
    if (child instanceof HTMLElement && child.dataset['key'] !== undefined)
      existing.set(child.dataset['key'], child);
  let cursor: Element | null = parent.firstElementChild;
  for (const item of items) {
    const k = key(item);
    let node = existing.get(k);
    existing.delete(k);
    if (node === undefined) {
      node = create();
      node.dataset['key'] = k;
    }
    fill(node, item);
    if (node !== cursor) parent.insertBefore(node, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const stale of existing.values()) stale.remove();
  // Children without a key (placeholders) go once there are items.
  if (items.length > 0)
    for (const child of Array.from(parent.children))
      if (child instanceof HTMLElement && child.dataset['key'] === undefined) child.remove();
}
