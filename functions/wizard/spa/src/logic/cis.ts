// Shaping CI history for the diff view, and pools into a tree for the scope step.

export interface PropertyChange {
  path: string;
  previousValue: unknown;
  updatedValue: unknown;
  kind: string;
}

export interface DiffRow {
  path: string;
  before: string;
  after: string;
  kind: "added" | "removed" | "changed";
}

export function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function diffRows(changes: PropertyChange[]): DiffRow[] {
  return [...changes]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((c) => ({
      path: c.path,
      before: show(c.previousValue),
      after: show(c.updatedValue),
      kind: c.kind === "ADDED" || c.previousValue == null ? "added" : c.kind === "REMOVED" || c.updatedValue == null ? "removed" : "changed",
    }));
}

export interface PoolNode {
  id: string;
  name: string;
  children: PoolNode[];
}

/** Nested pools (PVE 8.1+: parent/child ids) as a tree, parents created when only children are listed. */
export function poolTree(ids: string[]): PoolNode[] {
  const roots: PoolNode[] = [];
  const byId = new Map<string, PoolNode>();
  const ensure = (id: string): PoolNode => {
    const found = byId.get(id);
    if (found) return found;
    const slash = id.lastIndexOf("/");
    const node: PoolNode = { id, name: slash < 0 ? id : id.slice(slash + 1), children: [] };
    byId.set(id, node);
    if (slash < 0) roots.push(node);
    else ensure(id.slice(0, slash)).children.push(node);
    return node;
  };
  [...ids].sort().forEach(ensure);
  return roots;
}

/** Selecting a pool covers its nested pools: keep only the outermost selections. */
export function outermost(selected: string[]): string[] {
  const s = [...new Set(selected)].sort();
  return s.filter((id) => !s.some((other) => other !== id && id.startsWith(other + "/")));
}
