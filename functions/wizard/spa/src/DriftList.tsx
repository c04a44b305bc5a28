import { show } from "./logic/cis";
import { CLASSES, Drift, headline } from "./logic/drift";

/** Drift records as cards: class, headline (author, before -> after), each property, recommendation. */
export function DriftList({ drifts }: { drifts: Drift[] }) {
  return (
    <ul className="drift-list">
      {drifts.map((d) => (
        <li key={d.stack + d.nativeKey} className={`card ${CLASSES[d.driftClass]?.alarm ? "alarm" : "info"}`}>
          <p><strong>{CLASSES[d.driftClass]?.label ?? d.driftClass}</strong>{d.status === "RESOLVED" ? ` (resolved ${d.resolvedAt ?? ""})` : ""}</p>
          <p>{headline(d)}</p>
          {d.properties.length > 0 && (
            <table aria-label={`Properties of ${d.nativeKey}`}>
              <thead><tr><th>Property</th><th>Before</th><th>After</th></tr></thead>
              <tbody>{d.properties.map((p) => <tr key={p.path} className="changed"><td data-label="Property">{p.path}</td><td data-label="Before">{show(p.previous)}</td><td data-label="After">{show(p.current)}</td></tr>)}</tbody>
            </table>
          )}
          <p className="hint">
            {d.semanticType ?? ""} {d.nativeKey} · detected {d.detectedAt}{d.author ? ` · by ${d.author}` : ""}{d.taskId ? ` · task ${d.taskId}` : ""}
          </p>
          {d.recommendation && <p>Recommended: {d.recommendation}</p>}
        </li>
      ))}
    </ul>
  );
}
