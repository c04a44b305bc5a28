// application/problem+json answers of the API, turned into a message and per-field errors.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: { field: string; message: string }[];
}

export function isProblem(body: unknown): body is Problem {
  return typeof body === "object" && body !== null && "type" in body && "status" in body && "errors" in body;
}

export function fieldErrors(p: Problem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p.errors) out[e.field] = out[e.field] ? `${out[e.field]}; ${e.message}` : e.message;
  return out;
}

/** A one-line summary for the step's alert region. */
export function summary(p: Problem): string {
  if (p.errors.length === 0) return `${p.title}: ${p.detail}`;
  return `${p.title}: ${p.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`;
}
