import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { CopyButton, Field } from "../Field";
import { summary } from "../logic/problems";
import { FieldErrors } from "../logic/validate";
import { SEMANTIC_TYPES, validateWebhook, webhookBody } from "../logic/webhooks";

interface Hook { id: string; url: string; semanticTypes: string[]; changeKinds: string[]; enabled: boolean; createdAt: string }

/** The tenant's webhooks: create (the signing secret is shown once), test, delete. */
export function Webhooks() {
  const [items, setItems] = useState<Hook[]>([]);
  const [form, setForm] = useState({ id: "", url: "", semanticTypes: [] as string[] });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState("");
  const [secret, setSecret] = useState<{ id: string; value: string } | null>(null);

  const load = () => void api<{ items: Hook[] }>("GET", "/api/webhooks").then((r) => setItems(r.items));
  useEffect(load, []);

  function fail(e: unknown) {
    if (e instanceof ApiError) {
      setErrors(Object.fromEntries(e.problem.errors.map((f) => [f.field, f.message])));
      setMessage(summary(e.problem));
    } else {
      setMessage(String(e));
    }
  }

  async function create() {
    const local = validateWebhook(form);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    try {
      const r = await api<Hook & { signingSecret: string }>("POST", "/api/webhooks", webhookBody(form));
      setSecret({ id: r.id, value: r.signingSecret });
      setForm({ id: "", url: "", semanticTypes: [] });
      setMessage(`Webhook ${r.id} created.`);
      load();
    } catch (e) {
      fail(e);
    }
  }

  async function test(id: string) {
    try {
      const r = await api<{ delivered: boolean; status: number; error: string | null }>("POST", `/api/webhooks/${id}/test`);
      setMessage(r.delivered ? `Test event delivered to ${id} (HTTP ${r.status}).` : `Test event to ${id} not delivered: ${r.error ?? "no answer"}.`);
    } catch (e) {
      fail(e);
    }
  }

  async function remove(id: string) {
    try {
      await api("DELETE", `/api/webhooks/${id}`);
      setMessage(`Webhook ${id} deleted.`);
      load();
    } catch (e) {
      fail(e);
    }
  }

  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <div role="status">{message}</div>
      {secret && (
        <div className="card" role="alert">
          <p>Signing secret of {secret.id}, shown this once (Nimbus keeps only its ciphertext):</p>
          <pre>{secret.value}</pre>
          <CopyButton text={secret.value} label="Copy the signing secret" />
          <button type="button" className="secondary" onClick={() => setSecret(null)}>I have stored it</button>
        </div>
      )}
      <form onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <Field name="id" label="Id" value={form.id} error={errors.id} onChange={(v) => setForm({ ...form, id: v })} />
        <Field name="url" label="URL (https)" value={form.url} error={errors.url} onChange={(v) => setForm({ ...form, url: v })} />
        <fieldset>
          <legend>Semantic types (none: all)</legend>
          {SEMANTIC_TYPES.map((t) => (
            <label key={t}>
              <input type="checkbox" checked={form.semanticTypes.includes(t)} onChange={(e) => setForm({ ...form, semanticTypes: e.target.checked ? [...form.semanticTypes, t] : form.semanticTypes.filter((x) => x !== t) })} /> {t.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <div className="actions"><button type="submit">Create the webhook</button></div>
      </form>
      {items.length === 0 && <p>No webhook yet.</p>}
      <ul aria-label="Webhooks">
        {items.map((h) => (
          <li key={h.id} className="card" data-testid={`webhook-${h.id}`}>
            <strong>{h.id}</strong> → <code>{h.url}</code> ({h.semanticTypes.length ? h.semanticTypes.join(", ").toLowerCase() : "all types"})
            <div className="actions">
              <button type="button" onClick={() => void test(h.id)}>Send a test event</button>
              <button type="button" className="secondary" onClick={() => void remove(h.id)}>Delete</button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
