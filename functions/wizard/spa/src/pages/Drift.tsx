import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { DriftList } from "../DriftList";
import { ConnectionPicker } from "../Pickers";
import { Drift as DriftRecord, groupByStack } from "../logic/drift";
import { summary } from "../logic/problems";

/** Drift of a connection's stacks (or one program's), alarms first; a check on demand. */
export function Drift() {
  const [connection, setConnection] = useState("");
  const [program, setProgram] = useState("");
  const [programs, setPrograms] = useState<string[]>([]);
  const [items, setItems] = useState<DriftRecord[]>([]);
  const [resolved, setResolved] = useState(false);
  const [message, setMessage] = useState("");

  useEffect(() => {
    void api<{ items: { name: string }[] }>("GET", "/api/programs").then((r) => setPrograms(r.items.map((p) => p.name)));
  }, []);

  const base = `/api/connections/${encodeURIComponent(connection)}/drift`;
  const load = () => {
    if (!connection) return;
    const q = program ? `?program=${encodeURIComponent(program)}` : "";
    api<{ items: DriftRecord[] }>("GET", `${base}${q}`)
      .then((r) => { setItems(r.items); setMessage(`${r.items.filter((d) => d.status === "OPEN").length} open drift record(s).`); })
      .catch((e) => setMessage(e instanceof ApiError ? summary(e.problem) : String(e)));
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, [connection, program]);

  async function check() {
    try {
      await api("POST", `${base}/check`, program ? { program } : {});
      setMessage("A drift check was started; refresh in a minute to see its result.");
    } catch (e) {
      setMessage(e instanceof ApiError ? summary(e.problem) : String(e));
    }
  }

  const groups = groupByStack(items, resolved);
  return (
    <section aria-labelledby="drift-title">
      <h2 id="drift-title">Drift</h2>
      <ConnectionPicker value={connection} onChange={setConnection} id="drift-connection" />
      <div className="field">
        <label htmlFor="drift-program">Stack (program)</label>
        <select id="drift-program" value={program} onChange={(e) => setProgram(e.target.value)}>
          <option value="">every stack</option>
          {programs.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </div>
      <div className="checkbox">
        <input id="drift-resolved" type="checkbox" checked={resolved} onChange={(e) => setResolved(e.target.checked)} />
        <label htmlFor="drift-resolved">Show resolved drift too</label>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={load} disabled={!connection}>Refresh</button>
        <button type="button" onClick={() => void check()} disabled={!connection}>Check now</button>
      </div>
      <div role="status">{message}</div>
      {groups.length === 0 && connection && <p>No drift: what Pulumi manages matches Proxmox.</p>}
      {groups.map((g) => (
        <section key={g.stack} aria-label={`Stack ${g.title}`}>
          <h3>{g.title} {g.alarms > 0 && <span className="missing">({g.alarms} to act on)</span>}</h3>
          <DriftList drifts={g.drifts} />
        </section>
      ))}
    </section>
  );
}
