// Client-side checks of a new webhook, mirroring the API (which stays the judge): a slug id, an
// https URL without credentials, and semantic types from the list the API knows.

import { FieldErrors } from "./validate";

export const SEMANTIC_TYPES = ["TENANCY", "COMPARTMENT", "NETWORK", "COMPUTE", "STORAGE", "DATABASE", "LOAD_BALANCER", "SECURITY_GROUP", "HOST"] as const;

export interface WebhookInput {
  id: string;
  url: string;
  semanticTypes: string[];
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function validateWebhook(w: WebhookInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!SLUG.test(w.id)) {
    errors.id = "1-63 lower-case letters, digits or '-', starting with a letter or digit";
  }
  let url: URL | null = null;
  try {
    url = new URL(w.url);
  } catch {
    errors.url = "is not a URL";
  }
  if (url) {
    if (url.protocol !== "https:") errors.url = "must be an https:// URL";
    else if (url.username || url.password) errors.url = "must not carry credentials; the signing secret authenticates Nimbus";
  }
  return errors;
}

/** The create body the API expects; an empty type list means "all types". */
export function webhookBody(w: WebhookInput): { id: string; url: string; semanticTypes: string[] } {
  return { id: w.id.trim(), url: w.url.trim(), semanticTypes: [...w.semanticTypes] };
}
