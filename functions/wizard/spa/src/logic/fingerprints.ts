// SHA-256 fingerprints as Proxmox shows them: 32 upper-case hex pairs joined by ':'.

export function normalizeFingerprint(input: string): string | null {
  const hex = input.replace(/[\s:]/g, "").toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/.{2}/g)!.join(":");
}

/** Short form for narrow screens: first and last three pairs. */
export function shortFingerprint(fp: string): string {
  const pairs = fp.split(":");
  return pairs.length <= 6 ? fp : `${pairs.slice(0, 3).join(":")}…${pairs.slice(-3).join(":")}`;
}

export function sameFingerprint(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}

export interface NodePin {
  node: string;
  sslFingerprint: string | null;
}

/** The pins to store: every node's fingerprint as the verified check reported it. */
export function pinsFromNodes(nodes: NodePin[], entryFingerprint: string, entryName = "entry"): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const n of nodes) if (n.sslFingerprint) pins[n.node] = normalizeFingerprint(n.sslFingerprint) ?? n.sslFingerprint;
  if (Object.keys(pins).length === 0) pins[entryName] = entryFingerprint;
  return pins;
}
