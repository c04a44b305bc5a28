import { useState } from "react";
import { api, ApiError } from "../api";
import { Chart } from "../Chart";
import { Field } from "../Field";
import { ConnectionPicker, errorsOf, RangePicker } from "../Pickers";
import { summary } from "../logic/problems";
import { costLines, lastHours, Metric, METRICS, rangeQuery, seriesOf, ShowbackReport, validateRange } from "../logic/usage";
import { FieldErrors } from "../logic/validate";

/** One CI's usage hour by hour (vCPU, memory, disk, network) over a chosen range, with its cost. */
export function Usage() {
  const [connection, setConnection] = useState("");
  const [key, setKey] = useState("");
  const [range, setRange] = useState(lastHours(24, Date.now()));
  const [metric, setMetric] = useState<Metric>("vcpu");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [report, setReport] = useState<ShowbackReport | null>(null);
  const [message, setMessage] = useState("");

  async function show() {
    const local = validateRange(range, Date.now());
    if (!/^[a-z]+\/\S+$/.test(key.trim())) local.key = "a CI's native key such as qemu/101";
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const q = new URLSearchParams({ key: key.trim(), ...rangeQuery(range) });
    try {
      const r = await api<ShowbackReport>("GET", `/api/connections/${encodeURIComponent(connection)}/usage?${q}`);
      setReport(r);
      setMessage(r.rows.length === 0 ? "No usage recorded for this CI in the range." : `${r.rows.length} hour(s) of usage.`);
    } catch (e) {
      setReport(null);
      if (e instanceof ApiError) {
        setErrors(errorsOf(e.problem));
        setMessage(summary(e.problem));
      } else setMessage(String(e));
    }
  }

  async function sampleNow() {
    try {
      await api("POST", `/api/connections/${encodeURIComponent(connection)}/usage/sample`, {});
      setMessage("A sample was requested; its hours appear once the usage function has run.");
    } catch (e) {
      setMessage(e instanceof ApiError ? summary(e.problem) : String(e));
    }
  }

  const m = METRICS.find((x) => x.id === metric)!;
  const data = report ? seriesOf(report, metric) : null;
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <form onSubmit={(e) => { e.preventDefault(); void show(); }} noValidate>
        <ConnectionPicker value={connection} onChange={setConnection} id="usage-connection" />
        <Field label="CI (native key)" name="key" value={key} onChange={setKey} error={errors.key} hint="qemu/101, lxc/240, storage/ceph-vm" />
        <RangePicker value={range} onChange={setRange} errors={errors} />
        <div className="actions">
          <button type="submit">Show usage</button>
          <button type="button" className="secondary" disabled={!connection} onClick={() => void sampleNow()}>Sample now</button>
        </div>
      </form>
      <div role="status">{message}</div>
      {report && data && (
        <div className="card">
          <div className="tabs" role="group" aria-label="Metric">
            {METRICS.map((x) => (
              <button key={x.id} type="button" className="secondary" aria-pressed={metric === x.id} onClick={() => setMetric(x.id)}>{x.label}</button>
            ))}
          </div>
          <Chart kind="line" title={`${m.label} of ${report.subject}, per hour (UTC)`} unit={m.unit} labels={data.labels} series={data.series} />
          {metric === "disk" && data.series[1].values.some((v) => v === null) && (
            <p className="hint">Disk used is unknown where the guest agent could not be read (a gap, not 0).</p>
          )}
          <h3>Cost in the range</h3>
          {costLines(report).length === 0 ? (
            <p>No cost: {report.unpricedConnections.length > 0 ? `no rate card for ${report.unpricedConnections.join(", ")}` : "nothing priced"}.</p>
          ) : (
            <table aria-label="Cost">
              <thead><tr><th>Currency</th><th>CPU</th><th>Memory</th><th>Disk</th><th>Network</th><th>Total</th></tr></thead>
              <tbody>{costLines(report).map((c) => <tr key={c.currency}><td data-label="Currency">{c.currency}</td><td data-label="CPU">{c.cpu}</td><td data-label="Memory">{c.memory}</td><td data-label="Disk">{c.disk}</td><td data-label="Network">{c.network}</td><td data-label="Total"><strong>{c.total}</strong></td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
