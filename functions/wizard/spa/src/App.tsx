import { lazy, Suspense, useEffect, useState } from "react";
import { Config, loadConfig, localSignIn, signedIn, signInUrl, signOut } from "./api";
import { Wizard } from "./pages/Wizard";
import { Connections } from "./pages/Connections";
import { CiBrowser } from "./pages/CiBrowser";
import { Webhooks } from "./pages/Webhooks";
// The chart pages load on first visit: Chart.js stays out of the wizard's first download.
const Usage = lazy(() => import("./pages/Usage").then((m) => ({ default: m.Usage })));
const Cost = lazy(() => import("./pages/Cost").then((m) => ({ default: m.Cost })));
import { Deployments } from "./pages/Deployments";
import { Drift } from "./pages/Drift";

type Page = "wizard" | "connections" | "cis" | "usage" | "cost" | "deployments" | "drift" | "webhooks";

const PAGES: { id: Page; label: string }[] = [
  { id: "wizard", label: "Connect a cluster" },
  { id: "connections", label: "Connections" },
  { id: "cis", label: "CI browser" },
  { id: "usage", label: "Usage" },
  { id: "cost", label: "Cost" },
  { id: "deployments", label: "Deployments" },
  { id: "drift", label: "Drift" },
  { id: "webhooks", label: "Webhooks" },
];

export function App() {
  const [config, setConfig] = useState<Config | null>(null);
  const [ready, setReady] = useState(signedIn());
  const [page, setPage] = useState<Page>("wizard");
  const [tenant, setTenant] = useState("local");

  useEffect(() => {
    void loadConfig().then((c) => {
      setConfig(c);
      setReady(signedIn());
    });
  }, []);

  if (!config) return <p>Loading…</p>;
  const local = config.auth.mode === "local";
  return (
    <div className="app">
      <header>
        <h1>Nimbus · Proxmox VE</h1>
        {local && (
          <p className="banner" role="note">
            Local sign-in: this page runs on your machine with a locally signed token. It is not the deployed sign-in.
          </p>
        )}
        {ready && (
          <nav aria-label="Pages">
            {PAGES.map((p) => (
              <button key={p.id} type="button" aria-current={page === p.id ? "page" : undefined} onClick={() => setPage(p.id)}>
                {p.label}
              </button>
            ))}
            <button type="button" className="secondary" onClick={() => { signOut(); setReady(false); }}>
              Sign out
            </button>
          </nav>
        )}
      </header>
      <main>
        {!ready && local && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void localSignIn(tenant, "local-user").then(() => setReady(true));
            }}
          >
            <h2>Sign in (local)</h2>
            <label htmlFor="tenant">Tenant</label>
            <input id="tenant" name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} />
            <button type="submit">Sign in locally</button>
          </form>
        )}
        {!ready && !local && <a href={signInUrl() ?? "#"}>Sign in</a>}
        {ready && page === "wizard" && <Wizard onSaved={() => setPage("connections")} />}
        {ready && page === "connections" && <Connections />}
        {ready && page === "cis" && <CiBrowser />}
        <Suspense fallback={<p>Loading…</p>}>
          {ready && page === "usage" && <Usage />}
          {ready && page === "cost" && <Cost />}
        </Suspense>
        {ready && page === "deployments" && <Deployments />}
        {ready && page === "drift" && <Drift />}
        {ready && page === "webhooks" && <Webhooks />}
      </main>
    </div>
  );
}
