import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { summary } from "../logic/problems";
import { shortFingerprint } from "../logic/fingerprints";

interface Conn { id: string; name: string; status: string; version: number; schedule: string; nextDueAt: string | null; lastRun: { finishedAt: string; succeeded: boolean; ciCount: number; problem: string | null } | null }
interface Plan { version: number; entryTrusted: boolean; nodes: { node: string; pinned: string | null; current: string | null; changed: boolean }[] }

export function Connections() {
  const [items, setItems] = useState<Conn[]>([]);
  const [message, setMessage] = useState("");
  const [plan, setPlan] = useState<{ id: string; plan: Plan } | null>(null);

  const load = () => void api<{ items: Conn[] }>("GET", "/api/connections").then((r) => setItems(r.items));
  useEffect(load, []);

  async function act(run: () => Promise<unknown>, done: string) {
    try {
      await run();
      setMessage(done);
      load();
    } catch (e) {
      setMessage(e instanceof ApiError ? summary(e.problem) : String(e));
    }
  }

  return (
    <section aria-labelledby="connections-title">
      <h2 id="connections-title">Connections</h2>
      <button type="button" className="secondary" onClick={load}>Refresh</button>
      <div role="status">{message}</div>
      {items.length === 0 && <p>No connection yet.</p>}
      {items.map((c) => (
        <div className="card" key={c.id} data-testid={`connection-${c.id}`}>
          <h3>{c.name} <span className="hint">({c.id})</span></h3>
          <p>Status <strong data-testid="status">{c.status}</strong>; {c.schedule}; next {c.nextDueAt ?? "—"}</p>
          <p>Last run: {c.lastRun ? `${c.lastRun.succeeded ? "succeeded" : "failed"} at ${c.lastRun.finishedAt}, ${c.lastRun.ciCount} CIs${c.lastRun.problem ? `, ${c.lastRun.problem}` : ""}` : "never"}</p>
          <div className="actions">
            <button type="button" onClick={() => void act(() => api("POST", `/api/connections/${c.id}/run`), `Discovery of ${c.id} queued.`)}>Run now</button>
            <button type="button" className="secondary" onClick={() => void api<Plan>("POST", `/api/connections/${c.id}/repin/plan`).then((p) => setPlan({ id: c.id, plan: p })).catch((e) => setMessage(e instanceof ApiError ? summary(e.problem) : String(e)))}>Check certificates</button>
            <button type="button" className="secondary" onClick={() => void act(() => api("POST", `/api/connections/${c.id}/${c.status === "DISABLED" ? "enable" : "disable"}`, { version: c.version }), "Saved.")}>{c.status === "DISABLED" ? "Enable" : "Disable"}</button>
          </div>
          {plan?.id === c.id && (
            <div role="dialog" aria-label="Re-pin certificates" className="card">
              <table>
                <thead><tr><th>Node</th><th>Pinned</th><th>Now</th></tr></thead>
                <tbody>
                  {plan.plan.nodes.map((n) => (
                    <tr key={n.node} className={n.changed ? "changed" : ""}>
                      <td>{n.node}</td><td><code>{n.pinned ? shortFingerprint(n.pinned) : "—"}</code></td><td><code>{n.current ? shortFingerprint(n.current) : "—"}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {plan.plan.nodes.some((n) => n.changed) ? (
                <button type="button" onClick={() => void act(() => api("POST", `/api/connections/${c.id}/repin`, { version: plan.plan.version, fingerprints: Object.fromEntries(plan.plan.nodes.filter((n) => n.changed && n.current).map((n) => [n.node, n.current])) }).then(() => setPlan(null)), "Certificates re-pinned.")}>
                  Trust the new fingerprints
                </button>
              ) : (
                <p>Every certificate matches its pin.</p>
              )}
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
