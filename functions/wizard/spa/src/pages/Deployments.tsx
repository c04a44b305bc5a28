import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api";
import { Field } from "../Field";
import { ConnectionPicker, errorsOf } from "../Pickers";
import { approvable, destroyConfirmed, diffByResource, listError, FormValues, InputSpec, newRun, parseInputs, ProgramInfo, progress, Run, specsOf } from "../logic/deploy";
import { summary } from "../logic/problems";
import { FieldErrors } from "../logic/validate";

interface Accepted { queued: boolean; operation: string; program: string; stack: string; after: string | null }

const POLL_MS = 2000;

/** Programs of infra/: inputs -> preview (diff per resource) -> approve -> up; destroy with the stack name typed. */
export function Deployments() {
  const [connection, setConnection] = useState("");
  const [programs, setPrograms] = useState<ProgramInfo[]>([]);
  const [program, setProgram] = useState("");
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState("");
  const [run, setRun] = useState<Run | null>(null);
  const [preview, setPreview] = useState<{ run: Run; inputs: Record<string, unknown> } | null>(null);
  const [history, setHistory] = useState<Run[]>([]);
  const [stack, setStack] = useState("");
  const [typed, setTyped] = useState("");
  const polling = useRef(0);

  useEffect(() => {
    void api<{ items: ProgramInfo[] }>("GET", "/api/programs").then((r) => {
      setPrograms(r.items);
      if (r.items.length > 0) setProgram(r.items[0].name);
    });
    return () => { polling.current++; };
  }, []);

  const base = `/api/connections/${encodeURIComponent(connection)}/deployments`;
  const loadHistory = () => {
    if (!connection || !program) return;
    void api<{ items: Run[] }>("GET", `${base}?program=${encodeURIComponent(program)}&limit=10`).then((r) => {
      setHistory(r.items);
      if (r.items[0]) setStack(r.items[0].stack);
    }).catch(() => setHistory([]));
  };
  useEffect(() => {
    setRun(null);
    setPreview(null);
    setErrors({});
    setTyped("");
    loadHistory();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection, program]);

  const info = programs.find((p) => p.name === program);
  const specs: InputSpec[] = info ? specsOf(info) : [];
  const parsed = parseInputs(specs, values);

  function fail(e: unknown) {
    if (e instanceof ApiError) {
      setErrors(errorsOf(e.problem));
      // 409: a stack's lock (another update running), an unapproved up or a wrong confirmation.
      setMessage(e.problem.status === 409 ? `Refused (409): ${summary(e.problem)}` : summary(e.problem));
    } else setMessage(String(e));
  }

  /** After a 202: wait for the run written after `after`, then follow it until it ends. */
  async function follow(accepted: Accepted): Promise<Run | null> {
    const mine = ++polling.current;
    setStack(accepted.stack);
    let current: Run | null = null;
    const started = Date.now();
    while (mine === polling.current) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (mine !== polling.current) return null;
      if (!current) {
        const list = await api<{ items: Run[] }>("GET", `${base}?program=${encodeURIComponent(accepted.program)}&limit=1`);
        current = newRun(list.items, accepted.after);
        if (!current) {
          // The runner writes the run when it starts; a long wait means it has not started.
          if (Date.now() - started > 60_000) setMessage(`No run of ${accepted.stack} has started after a minute; still waiting (the runner may be busy or failing to start).`);
          continue;
        }
      } else {
        current = await api<Run>("GET", `${base}/runs/${encodeURIComponent(current.runId)}`);
      }
      setRun(current);
      if (current.status !== "RUNNING") {
        loadHistory();
        return current;
      }
    }
    return null;
  }

  async function start(operation: "preview" | "up" | "destroy", body: unknown) {
    setErrors({});
    setMessage(`${operation} requested…`);
    try {
      const accepted = await api<Accepted>("POST", `${base}/${encodeURIComponent(program)}/${operation}`, body);
      setMessage(`${operation} of ${accepted.stack} queued; following its run.`);
      const done = await follow(accepted);
      if (!done) return;
      setMessage(done.status === "SUCCEEDED" ? `${operation} succeeded.` : `${operation} ${done.status.toLowerCase()}: ${done.errors.join("; ")}`);
      return done;
    } catch (e) {
      fail(e);
    }
  }

  async function doPreview() {
    if (Object.keys(parsed.errors).length > 0) {
      setErrors(parsed.errors);
      setMessage("Correct the fields marked below.");
      return;
    }
    setPreview(null);
    const inputs = parsed.inputs;
    const done = await start("preview", { inputs });
    if (done) setPreview({ run: done, inputs });
  }

  const canApprove = preview !== null && approvable(preview.run, program, parsed.inputs, preview.inputs);
  const p = run ? progress(run) : null;
  const diff = preview ? diffByResource(preview.run.steps) : [];
  return (
    <section aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deployments</h2>
      <ConnectionPicker value={connection} onChange={setConnection} id="deploy-connection" />
      <div className="field">
        <label htmlFor="deploy-program">Program</label>
        <select id="deploy-program" value={program} onChange={(e) => { setProgram(e.target.value); setValues({}); }}>
          {programs.map((x) => <option key={x.name} value={x.name}>{x.name}: {x.description}</option>)}
        </select>
      </div>
      <form onSubmit={(e) => { e.preventDefault(); void doPreview(); }} noValidate aria-label="Inputs">
        {specs.map((s) =>
          s.kind === "bool" ? (
            <div key={s.name} className="checkbox">
              <input id={`in-${s.name}`} type="checkbox" checked={values[s.name] === true} onChange={(e) => setValues({ ...values, [s.name]: e.target.checked })} />
              <label htmlFor={`in-${s.name}`}>{s.label}</label>
              {s.hint && <span className="hint">{s.hint}</span>}
            </div>
          ) : s.kind === "list" ? (
            <div key={s.name} className="field">
              <label htmlFor={`in-${s.name}`}>{s.label}{s.required ? " (required)" : ""}</label>
              <textarea id={`in-${s.name}`} rows={3} value={String(values[s.name] ?? "")} onChange={(e) => setValues({ ...values, [s.name]: e.target.value })}
                aria-invalid={listError(errors, s.name) ? true : undefined} aria-describedby={listError(errors, s.name) ? `in-${s.name}-error` : undefined} />
              <div className="hint">{s.hint ? `${s.hint}; ` : ""}one per line</div>
              {listError(errors, s.name) && <div id={`in-${s.name}-error`} className="error" role="alert">{listError(errors, s.name)}</div>}
            </div>
          ) : (
            <Field key={s.name} label={`${s.label}${s.required ? " (required)" : ""}`} name={s.name} value={String(values[s.name] ?? "")}
              onChange={(v) => setValues({ ...values, [s.name]: v })} error={errors[`inputs.${s.name}`]} hint={s.hint} />
          ),
        )}
        {errors.program && <div className="error" role="alert">{errors.program}</div>}
        <div className="actions"><button type="submit" disabled={!connection || !program}>Preview</button></div>
      </form>
      <div role="status" aria-live="polite">{message}</div>
      {run && p && (
        <div className="card" aria-label="Progress">
          <p>{run.operation} {run.stack}: {run.status} ({p.done} of {p.total} resources{p.failed ? `, ${p.failed} failed` : ""})</p>
          <progress max={Math.max(p.total, 1)} value={p.finished && run.status === "SUCCEEDED" ? Math.max(p.total, 1) : p.done} aria-label="Resources finished" />
          {run.errors.length > 0 && <ul className="error">{run.errors.map((e) => <li key={e}>{e}</li>)}</ul>}
        </div>
      )}
      {preview && (
        <div className="card">
          <h3>Preview of {preview.run.stack}</h3>
          <p>{Object.entries(preview.run.summary).map(([op, n]) => `${n} ${op}`).join(", ") || "no changes"}</p>
          <table aria-label="Changes per resource">
            <thead><tr><th>Resource</th><th>Type</th><th>Change</th><th>Properties</th></tr></thead>
            <tbody>
              {diff.map((d) => (
                <tr key={d.name + d.type} className={`op-${d.op}`}>
                  <td data-label="Resource">{d.name}</td><td data-label="Type"><code>{d.type}</code></td>
                  <td data-label="Change">{d.op}{d.replaces ? " (replaces the resource)" : ""}</td>
                  <td data-label="Properties">{d.properties.map((x) => `${x.path}: ${x.change}`).join(", ") || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!canApprove && <p className="hint">The inputs changed since this preview: preview again to approve.</p>}
          <div className="actions">
            <button type="button" disabled={!canApprove} onClick={() => void start("up", { inputs: preview.inputs, approvedPreviewRunId: preview.run.runId })}>
              Approve and apply (up)
            </button>
          </div>
        </div>
      )}
      <form className="card" aria-labelledby="destroy-title" onSubmit={(e) => { e.preventDefault(); if (destroyConfirmed(typed, stack)) void start("destroy", { confirmStack: typed.trim() }); }} noValidate>
        <h3 id="destroy-title">Destroy</h3>
        <p>Deletes every resource of the {program} stack{stack ? ` ${stack}` : ""} in Proxmox. Type the stack name to confirm.</p>
        <Field label="Stack name" name="confirmStack" value={typed} onChange={setTyped} error={errors.confirmStack} hint={stack ? `type ${stack}` : "no run of this program on the connection yet"} />
        <div className="actions"><button type="submit" disabled={!destroyConfirmed(typed, stack)}>Destroy {stack || "stack"}</button></div>
      </form>
      <h3>Runs of {program}</h3>
      <ul className="plain">
        {history.map((r) => (
          <li key={r.runId}><button type="button" className="secondary" onClick={() => setRun(r)}>{r.operation} {r.status} {r.startedAt}</button></li>
        ))}
      </ul>
    </section>
  );
}
