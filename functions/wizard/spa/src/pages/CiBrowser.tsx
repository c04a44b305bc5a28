import { useState } from "react";
import { api, ApiError } from "../api";
import { diffRows, PropertyChange } from "../logic/cis";
import { summary } from "../logic/problems";
import { DriftList } from "../DriftList";
import { Drift, driftOfCi } from "../logic/drift";

interface Ci { id: string; connection: string; nativeKey: string; semanticType: string; name: string; status: string; attributes: Record<string, unknown>; relationships?: { kind: string; targetNativeKey: string; targetName: string | null }[] }
interface HistoryItem { configurationStateId: number; changeKind: string; capturedAt: string; attribution: { user: string | null } | null; changedProperties: PropertyChange[] }

const TYPES = ["", "TENANCY", "COMPARTMENT", "NETWORK", "COMPUTE", "STORAGE", "SECURITY_GROUP", "HOST"];

export function CiBrowser() {
  const [type, setType] = useState("COMPUTE");
  const [q, setQ] = useState("");
  const [items, setItems] = useState<Ci[]>([]);
  const [ci, setCi] = useState<Ci | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [message, setMessage] = useState("");
  const [drift, setDrift] = useState<Drift[] | null>(null);

  async function search() {
    const params = new URLSearchParams();
    if (type) params.set("type", type);
    if (q) params.set("q", q);
    try {
      const r = await api<{ items: Ci[] }>("GET", `/api/cis?${params}`);
      setItems(r.items);
      setMessage(`${r.items.length} CI(s)`);
    } catch (e) {
      setMessage(e instanceof ApiError ? summary(e.problem) : String(e));
    }
  }

  async function open(c: Ci) {
    const key = encodeURIComponent(c.nativeKey);
    setCi(await api<Ci>("GET", `/api/connections/${c.connection}/ci?key=${key}`));
    setHistory((await api<{ items: HistoryItem[] }>("GET", `/api/connections/${c.connection}/ci/history?key=${key}`)).items);
    // Drift beside the history: the connection's records, this CI's open ones (none without stacks).
    try {
      setDrift(driftOfCi((await api<{ items: Drift[] }>("GET", `/api/connections/${c.connection}/drift`)).items, c.nativeKey));
    } catch {
      setDrift(null);
    }
  }

  return (
    <section aria-labelledby="cis-title">
      <h2 id="cis-title">CI browser</h2>
      <form onSubmit={(e) => { e.preventDefault(); void search(); }}>
        <label htmlFor="ci-type">Semantic type</label>
        <select id="ci-type" value={type} onChange={(e) => setType(e.target.value)}>
          {TYPES.map((t) => <option key={t} value={t}>{t || "any"}</option>)}
        </select>
        <label htmlFor="ci-q">Name or key contains</label>
        <input id="ci-q" value={q} onChange={(e) => setQ(e.target.value)} />
        <div className="actions"><button type="submit">Search</button></div>
      </form>
      <div role="status">{message}</div>
      <ul>
        {items.map((c) => (
          <li key={c.id}><button type="button" className="secondary" onClick={() => void open(c)}>{c.name} ({c.nativeKey}, {c.status})</button></li>
        ))}
      </ul>
      {ci && (
        <div className="card">
          <h3>{ci.name} <span className="hint">{ci.semanticType} {ci.nativeKey}</span></h3>
          <h4>Relationships</h4>
          <ul>{ci.relationships?.map((r) => <li key={r.kind + r.targetNativeKey}>{r.kind.toLowerCase().replace("_", " ")} {r.targetName ?? r.targetNativeKey}</li>)}</ul>
          <div className="side-by-side">
          <div>
          <h4>History</h4>
          {history.map((h) => (
            <div key={h.configurationStateId}>
              <p>#{h.configurationStateId} {h.changeKind} at {h.capturedAt}{h.attribution?.user ? ` by ${h.attribution.user}` : ""}</p>
              <table aria-label={`Changes of state ${h.configurationStateId}`}>
                <thead><tr><th>Property</th><th>Before</th><th>After</th></tr></thead>
                <tbody>{diffRows(h.changedProperties).map((r) => <tr key={r.path} className={r.kind}><td>{r.path}</td><td>{r.before}</td><td>{r.after}</td></tr>)}</tbody>
              </table>
            </div>
          ))}
          </div>
          <aside aria-label="Drift of this CI">
            <h4>Drift</h4>
            {drift === null ? <p className="hint">Drift could not be read.</p> : drift.length === 0 ? <p>No open drift for this CI.</p> : <DriftList drifts={drift} />}
          </aside>
          </div>
        </div>
      )}
    </section>
  );
}
