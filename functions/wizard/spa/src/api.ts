import { isProblem, Problem } from "./logic/problems";

export interface Config {
  apiBase: string;
  auth: { mode: "local" } | { mode: "cognito"; domain: string; clientId: string };
}

let config: Config = { apiBase: "", auth: { mode: "local" } };
let token: string | null = sessionStorage.getItem("nimbus.token");

export async function loadConfig(): Promise<Config> {
  const r = await fetch("./config.json");
  config = (await r.json()) as Config;
  if (config.auth.mode === "cognito") {
    // Hosted UI implicit grant: the ID token comes back in the fragment.
    const m = /id_token=([^&]+)/.exec(window.location.hash);
    if (m) {
      token = m[1];
      sessionStorage.setItem("nimbus.token", token);
      history.replaceState(null, "", window.location.pathname);
    }
  }
  return config;
}

export function signedIn(): boolean {
  return token !== null;
}

export function signInUrl(): string | null {
  if (config.auth.mode !== "cognito") return null;
  const redirect = encodeURIComponent(window.location.origin + window.location.pathname);
  return `https://${config.auth.domain}/login?client_id=${config.auth.clientId}&response_type=token&scope=openid+email&redirect_uri=${redirect}`;
}

/** Local only: the local command signs a JWT for a tenant on this machine. */
export async function localSignIn(tenant: string, user: string): Promise<void> {
  const r = await fetch(`${config.apiBase}/local/sign-in`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ tenant, user }),
  });
  if (!r.ok) throw new Error("local sign-in failed");
  token = ((await r.json()) as { token: string }).token;
  sessionStorage.setItem("nimbus.token", token);
}

export function signOut(): void {
  token = null;
  sessionStorage.removeItem("nimbus.token");
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${config.apiBase}${path}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token ?? ""}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) {
    if (isProblem(json)) throw new ApiError(json);
    throw new ApiError({ type: "http", title: `HTTP ${r.status}`, status: r.status, detail: "", errors: [] });
  }
  return json as T;
}

interface PreviewPoll<T> {
  previewId: string;
  status: "running" | "done" | "failed";
  result?: T;
  problem?: Problem;
}

/** Milliseconds before poll number `attempt` (0-based): quick at first, then every 2 s. */
export function previewPollDelay(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 2000);
}

/**
 * Start and poll (the API answers POST /api/preview with 202 and an id; a second invocation of
 * the function runs the preview, so a large or slow cluster never meets API Gateway's 30 s).
 * Resolves with the result, throws ApiError with the problem the preview ended with. The stored
 * preview expires after an hour; the page stops asking after 10 minutes.
 */
export async function runPreview<T>(body: unknown): Promise<T> {
  const started = await api<{ previewId: string; poll: string }>("POST", "/api/preview", body);
  const deadline = Date.now() + 10 * 60 * 1000;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, previewPollDelay(attempt)));
    const p = await api<PreviewPoll<T>>("GET", started.poll);
    if (p.status === "done" && p.result !== undefined) return p.result;
    if (p.status === "failed" && p.problem && isProblem(p.problem)) throw new ApiError(p.problem);
  }
  throw new ApiError({ type: "timeout", title: "The preview is still running", status: 0, detail: "try again in a few minutes", errors: [] });
}
