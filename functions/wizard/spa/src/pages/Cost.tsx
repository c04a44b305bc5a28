import { useEffect, useState } from "react";
import { api, ApiError } from "../api";
import { Chart } from "../Chart";
import { Field } from "../Field";
import { ConnectionPicker, errorsOf, RangePicker } from "../Pickers";
import { summary } from "../logic/problems";
import { RateCardForm, StoredRateCard, rateCardBody, rateCardForm, storagePriceError, validateRateCard } from "../logic/ratecard";
import { costLines, costSeries, lastHours, rangeQuery, ShowbackReport, validateRange } from "../logic/usage";
import { FieldErrors } from "../logic/validate";

type By = "compartment" | "tenant" | "tag";

/** Cost per pool (compartment), tenant or tag, day by day; and the connection's rate card. */
export function Cost() {
  const [by, setBy] = useState<By>("compartment");
  const [value, setValue] = useState("");
  const [range, setRange] = useState(lastHours(24 * 7, Date.now()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [report, setReport] = useState<ShowbackReport | null>(null);
  const [message, setMessage] = useState("");

  async function show() {
    const local = validateRange(range, Date.now());
    if (by !== "tenant" && value.trim() === "") local[by === "compartment" ? "pool" : "tag"] = "is required";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const q = new URLSearchParams(rangeQuery(range));
    if (by === "compartment") q.set("pool", value.trim());
    if (by === "tag") q.set("tag", value.trim());
    try {
      const r = await api<ShowbackReport>("GET", `/api/usage/${by}?${q}`);
      setReport(r);
      setMessage(`${r.rows.length} day row(s).`);
    } catch (e) {
      setReport(null);
      if (e instanceof ApiError) {
        setErrors(errorsOf(e.problem));
        setMessage(summary(e.problem));
      } else setMessage(String(e));
    }
  }

  const lines = report ? costLines(report) : [];
  const bars = report ? costSeries(report) : null;
  return (
    <section aria-labelledby="cost-title">
      <h2 id="cost-title">Cost</h2>
      <form onSubmit={(e) => { e.preventDefault(); void show(); }} noValidate>
        <div className="field">
          <label htmlFor="cost-by">Cost of</label>
          <select id="cost-by" value={by} onChange={(e) => setBy(e.target.value as By)}>
            <option value="compartment">a pool (compartment, nested pools summed)</option>
            <option value="tenant">the whole tenant</option>
            <option value="tag">guests with a tag</option>
          </select>
        </div>
        {by !== "tenant" && (
          <Field label={by === "compartment" ? "Pool" : "Tag"} name={by === "compartment" ? "pool" : "tag"} value={value} onChange={setValue}
            error={errors[by === "compartment" ? "pool" : "tag"]} hint={by === "compartment" ? "prod or prod/web" : undefined} />
        )}
        <RangePicker value={range} onChange={setRange} errors={errors} />
        <div className="actions"><button type="submit">Show cost</button></div>
      </form>
      <div role="status">{message}</div>
      {report && (
        <div className="card">
          {lines.length === 1 && bars && bars.labels.length > 0 && (
            <Chart kind="bar" stacked title={`Cost of ${report.subject} per day`} unit={lines[0].currency} labels={bars.labels} series={bars.series} />
          )}
          {lines.length > 1 && <p className="hint">Connections price in different currencies; the totals are shown per currency and not charted together.</p>}
          {lines.length === 0 ? <p>Nothing priced in this range.</p> : (
            <table aria-label="Cost per currency">
              <thead><tr><th>Currency</th><th>CPU</th><th>Memory</th><th>Disk</th><th>Network</th><th>Total</th></tr></thead>
              <tbody>{lines.map((c) => <tr key={c.currency}><td data-label="Currency">{c.currency}</td><td data-label="CPU">{c.cpu}</td><td data-label="Memory">{c.memory}</td><td data-label="Disk">{c.disk}</td><td data-label="Network">{c.network}</td><td data-label="Total"><strong>{c.total}</strong></td></tr>)}</tbody>
            </table>
          )}
          {report.unpricedConnections.length > 0 && (
            <p className="hint">Without a rate card (usage counted, not priced): {report.unpricedConnections.join(", ")}.</p>
          )}
        </div>
      )}
      <RateCardEditor />
    </section>
  );
}

const EMPTY: RateCardForm = { currency: "EUR", base: { vcpuHour: "", memoryGibHour: "", networkGb: "", storageGbMonth: [{ type: "*", price: "" }] } };

/** A connection's rate card: prices as exact decimals, each error beside its input. */
function RateCardEditor() {
  const [connection, setConnection] = useState("");
  const [form, setForm] = useState<RateCardForm>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState("");

  useEffect(() => {
    if (!connection) return;
    setErrors({});
    api<StoredRateCard>("GET", `/api/connections/${encodeURIComponent(connection)}/ratecard`)
      .then((card) => { setForm(rateCardForm(card)); setMessage("The connection's rate card."); })
      .catch((e) => {
        setForm(EMPTY);
        setMessage(e instanceof ApiError && e.problem.status === 404 ? "This connection has no rate card yet: its usage is counted, not priced." : e instanceof ApiError ? summary(e.problem) : String(e));
      });
  }, [connection]);

  async function save() {
    const local = validateRateCard(form);
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setMessage("Correct the fields marked below.");
      return;
    }
    try {
      const card = await api<StoredRateCard>("PUT", `/api/connections/${encodeURIComponent(connection)}/ratecard`, rateCardBody(form));
      setForm(rateCardForm(card));
      setMessage("Rate card saved.");
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(errorsOf(e.problem));
        setMessage(summary(e.problem));
      } else setMessage(String(e));
    }
  }

  const base = (k: "vcpuHour" | "memoryGibHour" | "networkGb") => (v: string) => setForm({ ...form, base: { ...form.base, [k]: v } });
  const rows = form.base.storageGbMonth;
  const setRow = (i: number, r: { type: string; price: string }) => setForm({ ...form, base: { ...form.base, storageGbMonth: rows.map((x, j) => (j === i ? r : x)) } });
  return (
    <form className="card" aria-labelledby="ratecard-title" onSubmit={(e) => { e.preventDefault(); void save(); }} noValidate>
      <h3 id="ratecard-title">Rate card</h3>
      <ConnectionPicker value={connection} onChange={setConnection} id="ratecard-connection" />
      {form.keep && Object.keys(form.keep.nodeClasses).length > 0 && (
        <p className="hint">Node classes ({Object.entries(form.keep.nodeClasses).map(([n, c]) => `${n}: ${c}`).join(", ")}) are kept as they are when you save.</p>
      )}
      <Field label="Currency (ISO 4217)" name="currency" value={form.currency} onChange={(v) => setForm({ ...form, currency: v })} error={errors.currency} />
      <Field label="Price per vCPU-hour" name="vcpuHour" value={form.base.vcpuHour} onChange={base("vcpuHour")} error={errors["base.vcpuHour"]} />
      <Field label="Price per memory GiB-hour" name="memoryGibHour" value={form.base.memoryGibHour} onChange={base("memoryGibHour")} error={errors["base.memoryGibHour"]} />
      <Field label="Price per network GB (in + out)" name="networkGb" value={form.base.networkGb} onChange={base("networkGb")} error={errors["base.networkGb"]} />
      <fieldset>
        <legend>Disk: price per GB-month by storage type</legend>
        {rows.map((r, i) => (
          <div key={i} className="storage-row">
            <Field label={`Storage type ${i + 1}`} name={`storageType${i}`} value={r.type} onChange={(v) => setRow(i, { ...r, type: v })} error={errors[`base.storageGbMonth[${i}].type`]} hint={r.type === "*" ? "* prices every type not listed" : undefined} />
            <Field label={`Price per GB-month (${r.type || "type " + (i + 1)})`} name={`storagePrice${i}`} value={r.price} onChange={(v) => setRow(i, { ...r, price: v })} error={storagePriceError(errors, i, r.type)} />
            <button type="button" className="secondary" onClick={() => setForm({ ...form, base: { ...form.base, storageGbMonth: rows.filter((_, j) => j !== i) } })}>Remove storage type {i + 1}</button>
          </div>
        ))}
        {errors["base.storageGbMonth"] && <div className="error" role="alert">{errors["base.storageGbMonth"]}</div>}
        <div className="actions"><button type="button" className="secondary" onClick={() => setForm({ ...form, base: { ...form.base, storageGbMonth: [...rows, { type: "", price: "" }] } })}>Add storage type</button></div>
      </fieldset>
      <div className="actions"><button type="submit" disabled={!connection}>Save rate card</button></div>
      <div role="status">{message}</div>
    </form>
  );
}
