import { useEffect, useRef } from "react";
import {
  BarController, BarElement, CategoryScale, Chart as ChartJs, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip,
} from "chart.js";
import { Series } from "./logic/usage";

// Only the parts these charts use are registered, so the bundle carries no other chart types.
ChartJs.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = ["#2456a4", "#d9730d", "#1a7f37", "#8250df"];

/**
 * A Chart.js chart with the same numbers as a table: a canvas cannot be read by a screen reader
 * or reached with the keyboard, the table can (it opens with Enter on its summary).
 */
export function Chart(props: { kind: "line" | "bar"; title: string; unit: string; labels: string[]; series: Series[]; stacked?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new ChartJs(canvas.current, {
      type: props.kind,
      data: {
        labels: props.labels,
        datasets: props.series.map((s, i) => ({
          label: s.label,
          data: s.values,
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          spanGaps: false,
          pointRadius: props.labels.length > 48 ? 0 : 2,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: props.stacked, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } },
          y: { stacked: props.stacked, beginAtZero: true, title: { display: true, text: props.unit } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
    return () => chart.destroy();
  }, [props.kind, props.labels, props.series, props.unit, props.stacked]);

  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${props.title}: chart; the same numbers are in the table below`} />
      </div>
      <details>
        <summary>Table of {props.title.toLowerCase()}</summary>
        <table>
          <thead><tr><th>Time</th>{props.series.map((s) => <th key={s.label}>{s.label} ({props.unit})</th>)}</tr></thead>
          <tbody>
            {props.labels.map((l, i) => (
              <tr key={l}><td data-label="Time">{l}</td>{props.series.map((s) => <td key={s.label} data-label={`${s.label} (${props.unit})`}>{s.values[i] === null ? "unknown" : s.values[i]}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
