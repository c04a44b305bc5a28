import { useRef, useState } from "react";
import { api, ApiError, runPreview } from "../api";
import { CopyButton, Field } from "../Field";
import { outermost, poolTree, PoolNode } from "../logic/cis";
import { pinsFromNodes, shortFingerprint } from "../logic/fingerprints";
import { fieldErrors, summary } from "../logic/problems";
import { FieldErrors, validateEndpoint, validateLogin, validateSchedule, validateToken } from "../logic/validate";
import { back, blocker, credentialsChanged, endpointChanged, initialState, next, STEP_TITLES, STEPS, WizardState } from "../logic/wizard";

interface Cert { fingerprint: string; subject: string; issuer: string; subjectAlternativeNames: string[]; notBefore: string; notAfter: string }
interface Probe { fingerprint: string; trustedBySystem: boolean; hostnameMatches: boolean; chain: Cert[] }
interface Feature { feature: string; program: string | null; label: string; purpose: string; granted: boolean; missing: { path: string; name: string }[]; commands: string[] }
interface Check {
  version: string; clusterName: string | null; tokenId: string; privilegeSeparated: boolean;
  nodes: { node: string; online: boolean; sslFingerprint: string | null; fingerprintSource: string }[];
  pools: string[]; permissions: { features: Feature[] }; proxmoxCalls: number;
}
interface Preview { counts: Record<string, number>; cis: number; relationships: number; problems: string[]; proxmoxCalls: number; millis: number; complete: boolean }

const FEATURES = ["DISCOVERY", "GUEST_AGENT", "CHANGE_DETECTION", "USAGE", "DEPLOYMENT"];

export function Wizard({ onSaved }: { onSaved: () => void }) {
  const [s, setS] = useState<WizardState>(initialState);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [alert, setAlert] = useState("");
  const [busy, setBusy] = useState(false);
  const [ep, setEp] = useState({ connectionId: "lab", name: "", host: "", port: "8006", pathPrefix: "", proxyType: "" as "" | "HTTP" | "SOCKS5", proxyHost: "", proxyPort: "" });
  const [header, setHeader] = useState({ name: "", value: "" });
  const [probe, setProbe] = useState<Probe | null>(null);
  const [pins, setPins] = useState<Record<string, string>>({});
  const [mode, setMode] = useState<"token" | "mint">("token");
  const [tok, setTok] = useState({ tokenId: "", tokenSecret: "" });
  const [login, setLogin] = useState({ username: "root@pam", password: "", otp: "", userId: "nimbus@pve", tokenName: "discovery" });
  const [features, setFeatures] = useState<string[]>(["DISCOVERY"]);
  const [minted, setMinted] = useState(false);
  const [check, setCheck] = useState<Check | null>(null);
  const [scope, setScope] = useState<{ kind: "everything" | "pools" | "nodes"; names: string[] }>({ kind: "everything", names: [] });
  const [schedule, setSchedule] = useState("rate(15 minutes)");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const target = () => ({
    connectionId: ep.connectionId,
    endpoint: { host: ep.host, port: Number(ep.port), ...(ep.pathPrefix ? { pathPrefix: ep.pathPrefix } : {}) },
    ...(ep.proxyType ? { proxy: { type: ep.proxyType, host: ep.proxyHost, port: Number(ep.proxyPort) } } : {}),
    ...(header.name ? { headers: { [header.name]: header.value } } : {}),
    tls: { pinnedFingerprints: pins },
  });
  const credentials = () => (minted ? { minted: true } : { tokenId: tok.tokenId, tokenSecret: tok.tokenSecret });

  async function call<T>(run: () => Promise<T>): Promise<T | null> {
    setBusy(true);
    setAlert("");
    setErrors({});
    try {
      return await run();
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(fieldErrors(e.problem));
        setAlert(summary(e.problem));
      } else setAlert(String(e));
      return null;
    } finally {
      setBusy(false);
    }
  }

  const go = (state: WizardState) => {
    setS(state);
    setTimeout(() => heading.current?.focus(), 0);
  };

  async function doProbe() {
    const local = validateEndpoint(ep);
    if (Object.keys(local).length) return setErrors(local);
    const r = await call(() => api<Probe>("POST", "/api/probe", { endpoint: target().endpoint, ...(ep.proxyType ? { proxy: target().proxy } : {}) }));
    if (r) {
      setProbe(r);
      go(next({ ...endpointChanged(s), probed: true }));
    }
  }

  function applyCheck(c: Check) {
    setCheck(c);
    setPins(pinsFromNodes(c.nodes, probe!.fingerprint));
    const discovery = c.permissions.features.find((f) => f.feature === "DISCOVERY");
    go(next({ ...s, checked: true, discoveryGranted: !!discovery?.granted }));
  }

  async function doCheck() {
    if (!minted) {
      const local = validateToken(tok.tokenId, tok.tokenSecret);
      if (Object.keys(local).length) return setErrors(local);
    }
    const r = await call(() => api<Check>("POST", "/api/check", { ...target(), credentials: credentials() }));
    if (r) applyCheck(r);
  }

  async function doMint() {
    const local = validateLogin(login.username, login.password, login.otp);
    if (Object.keys(local).length) return setErrors(local);
    const r = await call(() =>
      api<{ tokenId: string; check: Check }>("POST", "/api/mint", {
        ...target(),
        login: { username: login.username, password: login.password, ...(login.otp ? { otp: login.otp } : {}) },
        userId: login.userId,
        tokenName: login.tokenName,
        features,
      }),
    );
    // The password is used once: forget it whatever happened.
    setLogin({ ...login, password: "", otp: "" });
    if (r) {
      setMinted(true);
      applyCheck(r.check);
    }
  }

  async function doPreview() {
    const r = await call(() => runPreview<Preview>({ ...target(), credentials: credentials(), scope }));
    if (r) {
      setPreview(r);
      setS({ ...s, previewed: true });
    }
  }

  async function doSave() {
    const r = await call(() => api<{ id: string }>("POST", "/api/connections", { ...target(), name: ep.name, credentials: credentials(), scope, schedule }));
    if (r) setSaved(r.id);
  }

  async function runNow() {
    const r = await call(() => api<{ queued: boolean }>("POST", `/api/connections/${saved}/run`));
    if (r) onSaved();
  }

  const err = (f: string) => errors[f];
  const blocked = blocker(s);

  return (
    <section aria-labelledby="wizard-step">
      <ol className="steps" aria-label="Steps">
        {STEPS.map((st, i) => (
          <li key={st} aria-current={s.step === st ? "step" : undefined}>
            {i + 1}. {STEP_TITLES[st]}
          </li>
        ))}
      </ol>
      <h2 id="wizard-step" tabIndex={-1} ref={heading}>
        {STEP_TITLES[s.step]}
      </h2>
      {alert && <div className="card error" role="alert">{alert}</div>}

      {s.step === "endpoint" && (
        <form onSubmit={(e) => { e.preventDefault(); void doProbe(); }}>
          <Field name="connectionId" label="Connection id" value={ep.connectionId} error={err("connectionId")} onChange={(v) => setEp({ ...ep, connectionId: v })} />
          <Field name="name" label="Display name" value={ep.name} error={err("name")} onChange={(v) => setEp({ ...ep, name: v })} />
          <Field name="host" label="Host (tunnel or node)" value={ep.host} error={err("endpoint.host")} onChange={(v) => { setEp({ ...ep, host: v }); setS(endpointChanged(s)); }} />
          <Field name="port" label="Port" value={ep.port} error={err("endpoint.port")} onChange={(v) => setEp({ ...ep, port: v })} />
          <Field name="pathPrefix" label="Path prefix (optional)" value={ep.pathPrefix} error={err("endpoint.pathPrefix")} onChange={(v) => setEp({ ...ep, pathPrefix: v })} />
          <div className="field">
            <label htmlFor="proxyType">Proxy</label>
            <select id="proxyType" name="proxyType" value={ep.proxyType} onChange={(e) => setEp({ ...ep, proxyType: e.target.value as "" | "HTTP" | "SOCKS5" })}>
              <option value="">none</option>
              <option value="HTTP">HTTP CONNECT</option>
              <option value="SOCKS5">SOCKS5</option>
            </select>
          </div>
          {ep.proxyType && (
            <>
              <Field name="proxyHost" label="Proxy host" value={ep.proxyHost} error={err("proxy.host")} onChange={(v) => setEp({ ...ep, proxyHost: v })} />
              <Field name="proxyPort" label="Proxy port" value={ep.proxyPort} error={err("proxy.port")} onChange={(v) => setEp({ ...ep, proxyPort: v })} />
            </>
          )}
          <Field name="headerName" label="Tunnel header name (optional, e.g. CF-Access-Client-Secret)" value={header.name} onChange={(v) => setHeader({ ...header, name: v })} />
          {header.name && <Field name="headerValue" type="password" label="Tunnel header value" value={header.value} error={err(`headers[${header.name}]`)} onChange={(v) => setHeader({ ...header, value: v })} />}
          <div className="actions"><button type="submit" disabled={busy}>Probe the certificate</button></div>
        </form>
      )}

      {s.step === "certificate" && probe && (
        <div role="dialog" aria-labelledby="cert-title" aria-describedby="cert-help" className="card">
          <h3 id="cert-title">Do you trust this certificate?</h3>
          <p id="cert-help">
            Compare the fingerprint with the node's (web UI: Node → System → Certificates, or <code>pvenode cert info</code>). Nothing but the TLS handshake was sent.
          </p>
          <p>SHA-256: <code data-testid="fingerprint">{probe.fingerprint}</code></p>
          <table>
            <tbody>
              {probe.chain.map((c, i) => (
                <tr key={c.fingerprint}>
                  <td>{i === 0 ? "Node" : "Issuer"}</td>
                  <td>
                    <div>{c.subject}</div>
                    <div className="hint">issued by {c.issuer}; {c.notBefore.slice(0, 10)} to {c.notAfter.slice(0, 10)}</div>
                    <div className="hint">{c.subjectAlternativeNames.join(", ")}</div>
                    <div className="hint">{shortFingerprint(c.fingerprint)}</div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{probe.trustedBySystem ? "A public CA signed it (system trust store)." : "Not signed by a public CA: pin it."} {probe.hostnameMatches ? "" : "Its names do not match the host (normal behind a tunnel)."}</p>
          <div className="actions">
            <button type="button" onClick={() => { setPins({ entry: probe.fingerprint }); go(next({ ...s, certificateConfirmed: true })); }}>
              The fingerprint matches: trust it
            </button>
          </div>
        </div>
      )}

      {s.step === "credentials" && (
        <div>
          <fieldset>
            <legend>Token</legend>
            <label><input type="radio" name="mode" checked={mode === "token"} onChange={() => { setMode("token"); setMinted(false); setS(credentialsChanged(s)); }} /> I have an API token</label>
            <label><input type="radio" name="mode" checked={mode === "mint"} onChange={() => { setMode("mint"); setS(credentialsChanged(s)); }} /> Create a least-privilege token for me</label>
          </fieldset>
          {mode === "token" ? (
            <form onSubmit={(e) => { e.preventDefault(); setMinted(false); void doCheck(); }}>
              <Field name="tokenId" label="Token id (user@realm!name)" value={tok.tokenId} error={err("credentials.tokenId") ?? err("credentials")} onChange={(v) => setTok({ ...tok, tokenId: v })} />
              <Field name="tokenSecret" type="password" label="Token secret" value={tok.tokenSecret} error={err("credentials.tokenSecret")} onChange={(v) => setTok({ ...tok, tokenSecret: v })} />
              <div className="actions"><button type="submit" disabled={busy}>Check the token</button></div>
            </form>
          ) : (
            <form onSubmit={(e) => { e.preventDefault(); void doMint(); }}>
              <p className="hint">The password is used once to create the token and is never stored.</p>
              <Field name="username" label="Administrator (user@realm)" value={login.username} error={err("login.username")} onChange={(v) => setLogin({ ...login, username: v })} />
              <Field name="password" type="password" label="Password" autoComplete="current-password" value={login.password} error={err("login.password")} onChange={(v) => setLogin({ ...login, password: v })} />
              <Field name="otp" label="One-time code (if TFA is on)" value={login.otp} error={err("login.otp")} onChange={(v) => setLogin({ ...login, otp: v })} />
              <Field name="userId" label="User to create or reuse" value={login.userId} error={err("userId")} onChange={(v) => setLogin({ ...login, userId: v })} />
              <Field name="tokenName" label="Token name" value={login.tokenName} error={err("tokenName")} onChange={(v) => setLogin({ ...login, tokenName: v })} />
              <fieldset>
                <legend>Features (the role gets exactly their privileges)</legend>
                {FEATURES.map((f) => (
                  <label key={f}>
                    <input type="checkbox" checked={features.includes(f)} onChange={(e) => setFeatures(e.target.checked ? [...features, f] : features.filter((x) => x !== f))} /> {f.replace("_", " ").toLowerCase()}
                  </label>
                ))}
              </fieldset>
              <div className="actions"><button type="submit" disabled={busy}>Create the token</button></div>
            </form>
          )}
        </div>
      )}

      {s.step === "permissions" && check && (
        <div>
          <p>PVE {check.version}, cluster {check.clusterName ?? "(standalone)"}, token {check.tokenId}{check.privilegeSeparated ? " (privilege-separated)" : ""}.</p>
          <table aria-label="Nodes">
            <thead><tr><th>Node</th><th>Fingerprint</th></tr></thead>
            <tbody>{check.nodes.map((n) => <tr key={n.node}><td>{n.node}</td><td><code>{n.sslFingerprint ? shortFingerprint(n.sslFingerprint) : "—"}</code> ({n.fingerprintSource})</td></tr>)}</tbody>
          </table>
          <ul aria-label="Permission checklist">
            {check.permissions.features.map((f) => (
              <li key={f.feature + (f.program ?? "")} className="card">
                <span className={f.granted ? "ok" : "missing"}>{f.granted ? "✔" : "✘"} {f.label}</span> — {f.purpose}
                {!f.granted && (
                  <>
                    <div>Missing: {f.missing.map((m) => `${m.name} on ${m.path}`).join(", ")}</div>
                    <pre>{f.commands.join("\n")}</pre>
                    <CopyButton text={f.commands.join("\n")} label={`Copy the commands for ${f.label}`} />
                  </>
                )}
              </li>
            ))}
          </ul>
          <div className="actions"><button type="button" className="secondary" disabled={busy} onClick={() => void doCheck()}>Check again</button></div>
        </div>
      )}

      {s.step === "scope" && (
        <fieldset>
          <legend>What to discover</legend>
          {(["everything", "pools", "nodes"] as const).map((k) => (
            <label key={k}><input type="radio" name="scope" checked={scope.kind === k} onChange={() => { setScope({ kind: k, names: [] }); setS({ ...s, scopeValid: k === "everything" }); }} /> {k}</label>
          ))}
          {scope.kind === "pools" && <PoolTree nodes={poolTree(check?.pools ?? [])} selected={scope.names} onChange={(names) => { const o = outermost(names); setScope({ kind: "pools", names: o }); setS({ ...s, scopeValid: o.length > 0 }); }} />}
          {scope.kind === "nodes" &&
            (check?.nodes ?? []).map((n) => (
              <label key={n.node}>
                <input type="checkbox" checked={scope.names.includes(n.node)} onChange={(e) => { const names = e.target.checked ? [...scope.names, n.node] : scope.names.filter((x) => x !== n.node); setScope({ kind: "nodes", names }); setS({ ...s, scopeValid: names.length > 0 }); }} /> {n.node}
              </label>
            ))}
          {err("scope.names") && <div className="error">{err("scope.names")}</div>}
        </fieldset>
      )}

      {s.step === "schedule" && (
        <Field name="schedule" label="Schedule (EventBridge expression, UTC)" value={schedule} error={validateSchedule(schedule) ?? err("schedule")} hint="rate(15 minutes) is the default; at least 5 minutes apart" onChange={(v) => { setSchedule(v); setS({ ...s, scheduleValid: validateSchedule(v) === null }); }} />
      )}

      {s.step === "preview" && (
        <div>
          <button type="button" disabled={busy} onClick={() => void doPreview()}>Run the preview (nothing is stored)</button>
          {preview && (
            <div className="card" data-testid="preview">
              <p>{preview.cis} CIs, {preview.relationships} relationships, {preview.proxmoxCalls} Proxmox calls in {(preview.millis / 1000).toFixed(1)} s{preview.complete ? "" : " (stopped at the time limit: counts are a lower bound)"}.</p>
              <ul>{Object.entries(preview.counts).map(([t, n]) => <li key={t}>{n} {t.toLowerCase().replace("_", " ")}</li>)}</ul>
              {preview.problems.length > 0 && <><h3>Problems</h3><ul>{preview.problems.map((p) => <li key={p}>{p}</li>)}</ul></>}
            </div>
          )}
        </div>
      )}

      {s.step === "save" && (
        <div>
          <p>Connection <strong>{ep.connectionId}</strong> to {ep.host}:{ep.port}, {Object.keys(pins).length} pinned node(s), scope {scope.kind}, {schedule}.</p>
          {!saved ? (
            <button type="button" disabled={busy} onClick={() => void doSave()}>Save the connection</button>
          ) : (
            <div className="card" role="status">
              Saved. <button type="button" onClick={() => void runNow()}>Run the first discovery now</button>
            </div>
          )}
        </div>
      )}

      <div className="actions">
        <button type="button" className="secondary" disabled={s.step === "endpoint" || busy} onClick={() => go(back(s))}>Back</button>
        {s.step !== "save" && (
          <button type="button" disabled={blocked !== null || busy} aria-describedby="why-blocked" onClick={() => go(next(s))}>Next</button>
        )}
        {blocked && s.step !== "save" && <span id="why-blocked" className="hint">{blocked}</span>}
      </div>
    </section>
  );
}

function PoolTree({ nodes, selected, onChange }: { nodes: PoolNode[]; selected: string[]; onChange: (s: string[]) => void }) {
  if (nodes.length === 0) return <p className="hint">No pools visible to this token.</p>;
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.id}>
          <label>
            <input type="checkbox" checked={selected.includes(n.id)} onChange={(e) => onChange(e.target.checked ? [...selected, n.id] : selected.filter((x) => x !== n.id))} /> {n.name}
          </label>
          {n.children.length > 0 && <PoolTree nodes={n.children} selected={selected} onChange={onChange} />}
        </li>
      ))}
    </ul>
  );
}
