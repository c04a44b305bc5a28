import { ReactNode, useId } from "react";

/** A labelled input with its error tied to it (aria-describedby), so screen readers read both. */
export function Field(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  type?: string;
  name: string;
  hint?: ReactNode;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        autoComplete={props.autoComplete ?? "off"}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.error && (
        <div id={`${id}-error`} className="error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
}

/** Copies text to the clipboard; keyboard reachable like any button. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  return (
    <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(text)}>
      {label}
    </button>
  );
}
