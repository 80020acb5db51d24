/** Small DOM helpers: elements, and tables whose number cells carry their exact value. */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`missing #${id}`);
  return node as T;
}

export function replaceChildren(parent: HTMLElement, ...children: Array<Node | string>): void {
  parent.replaceChildren(...children);
}

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  readonly text: (row: T) => string;
  /** The exact number behind the text, kept in `data-value` (what tests and copy-paste read). */
  readonly value?: (row: T) => number;
  readonly className?: (row: T) => string;
  readonly alignText?: boolean;
  readonly title?: (row: T) => string;
}

export interface TableOptions<T> {
  readonly rowKey?: (row: T) => string;
  readonly selectedKey?: string;
  readonly onSelect?: (row: T) => void;
  readonly empty?: string;
}

export function table<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: TableOptions<T> = {},
): HTMLElement {
  if (rows.length === 0) return el("div", { class: "empty" }, options.empty ?? "nothing to show");
  const head = el(
    "tr",
    {},
    ...columns.map((c) => el("th", { class: c.alignText === true ? "text" : "" }, c.label)),
  );
  const body = el("tbody");
  for (const row of rows) {
    const key = options.rowKey?.(row);
    const tr = el("tr", key === undefined ? {} : { "data-key": key });
    if (options.onSelect !== undefined) {
      tr.classList.add("selectable");
      tr.addEventListener("click", () => options.onSelect?.(row));
    }
    if (key !== undefined && key === options.selectedKey) tr.classList.add("selected");
    for (const c of columns) {
      const attrs: Record<string, string> = { "data-col": c.key };
      const value = c.value?.(row);
      if (value !== undefined) attrs["data-value"] = String(value);
      const classes = [c.alignText === true ? "text" : "", c.className?.(row) ?? ""].join(" ").trim();
      if (classes !== "") attrs.class = classes;
      const title = c.title?.(row);
      if (title !== undefined) attrs.title = title;
      tr.append(el("td", attrs, c.text(row)));
    }
    body.append(tr);
  }
  return el("table", {}, el("thead", {}, head), body);
}
