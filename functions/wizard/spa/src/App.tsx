import { useEffect, useState } from "react";
import { Config, loadConfig, localSignIn, signedIn, signInUrl, signOut } from "./api";
import { Wizard } from "./pages/Wizard";
import { Connections } from "./pages/Connections";
import { CiBrowser } from "./pages/CiBrowser";
import { Webhooks } from "./pages/Webhooks";

type Page = "wizard" | "connections" | "cis" | "webhooks";

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
            {(["wizard", "connections", "cis", "webhooks"] as Page[]).map((p) => (
              <button key={p} type="button" aria-current={page === p ? "page" : undefined} onClick={() => setPage(p)}>
                {p === "wizard" ? "Connect a cluster" : p === "connections" ? "Connections" : p === "cis" ? "CI browser" : "Webhooks"}
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
        {ready && page === "webhooks" && <Webhooks />}
      </main>
    </div>
  );
}
