import { useEffect, useState } from "react";
import { api } from "./api";
import { Field } from "./Field";
import { lastHours, Range } from "./logic/usage";
import { FieldErrors } from "./logic/validate";

export interface ConnectionSummary { id: string; name: string; status: string }

/** The tenant's connections as a labelled select. */
export function ConnectionPicker(props: { value: string; onChange: (id: string) => void; id?: string }) {
  const [items, setItems] = useState<ConnectionSummary[]>([]);
  useEffect(() => {
    void api<{ items: ConnectionSummary[] }>("GET", "/api/connections").then((r) => {
      setItems(r.items);
      if (!props.value && r.items.length > 0) props.onChange(r.items[0].id);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const id = props.id ?? "connection";
  return (
    <div className="field">
      <label htmlFor={id}>Connection</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {items.length === 0 && <option value="">no connections yet</option>}
        {items.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.id})</option>)}
      </select>
    </div>
  );
}

const PRESETS = [
  { label: "Last 24 hours", hours: 24 },
  { label: "Last 7 days", hours: 24 * 7 },
  { label: "Last 30 days", hours: 24 * 30 },
];

/** From and to (UTC) with presets; errors under the API's names `from` and `to`, beside the inputs. */
export function RangePicker(props: { value: Range; onChange: (r: Range) => void; errors: FieldErrors }) {
  return (
    <fieldset className="range">
      <legend>Range (UTC)</legend>
      <div className="actions">
        {PRESETS.map((p) => (
          <button key={p.hours} type="button" className="secondary" onClick={() => props.onChange(lastHours(p.hours, Date.now()))}>{p.label}</button>
        ))}
      </div>
      <Field label="From" name="from" type="datetime-local" value={props.value.from} error={props.errors.from} onChange={(v) => props.onChange({ ...props.value, from: v })} />
      <Field label="To" name="to" type="datetime-local" value={props.value.to} error={props.errors.to} onChange={(v) => props.onChange({ ...props.value, to: v })} />
    </fieldset>
  );
}

/** A problem's field errors as a map, for the fields that show them. */
export function errorsOf(p: { errors: { field: string; message: string }[] }): FieldErrors {
  return Object.fromEntries(p.errors.map((f) => [f.field, f.message]));
}
