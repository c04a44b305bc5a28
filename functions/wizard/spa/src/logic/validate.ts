// Client-side checks that mirror the API's validator, so most mistakes show before a round trip.
// The API stays the judge: its field errors are shown the same way.

export type FieldErrors = Record<string, string>;

const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const TOKEN_ID = /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isHost(host: string): boolean {
  if (!host) return false;
  if (host.includes(":")) return /^[0-9A-Fa-f:.]+$/.test(host);
  if (/^[0-9.]+$/.test(host)) return IPV4.test(host);
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name.length > 253) return false;
  const labels = name.split(".");
  return labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

export interface EndpointInput {
  connectionId: string;
  name: string;
  host: string;
  port: string;
  pathPrefix: string;
  proxyType: "" | "HTTP" | "SOCKS5";
  proxyHost: string;
  proxyPort: string;
}

export function validateEndpoint(e: EndpointInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!SLUG.test(e.connectionId)) {
    errors.connectionId = "1-63 lower-case letters, digits or '-', starting with a letter or digit";
  }
  if (!e.name.trim()) errors.name = "is required";
  if (e.host.includes("://") || e.host.includes("/")) {
    errors["endpoint.host"] = "give the host only, without scheme or path";
  } else if (!isHost(e.host)) {
    errors["endpoint.host"] = "is not a valid host name or IP address";
  }
  const port = Number(e.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors["endpoint.port"] = "use 1-65535";
  if (e.pathPrefix && !/^(\/[A-Za-z0-9._~-]+)+$/.test(e.pathPrefix)) {
    errors["endpoint.pathPrefix"] = "starts with '/', no trailing '/', for example /pve";
  }
  if (e.proxyType) {
    if (!isHost(e.proxyHost)) errors["proxy.host"] = "is not a valid host name or IP address";
    const p = Number(e.proxyPort);
    if (!Number.isInteger(p) || p < 1 || p > 65535) errors["proxy.port"] = "use 1-65535";
  }
  return errors;
}

export function validateToken(tokenId: string, secret: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!TOKEN_ID.test(tokenId)) errors["credentials.tokenId"] = "write user@realm!name, for example nimbus@pve!discovery";
  // Never echo the secret: only say what shape it should have.
  if (!UUID.test(secret)) errors["credentials.tokenSecret"] = "Proxmox shows the secret once, as a UUID";
  return errors;
}

export function validateLogin(username: string, password: string, otp: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[^\s:/@!]+@[A-Za-z][A-Za-z0-9._-]+$/.test(username)) errors["login.username"] = "user@realm, for example root@pam";
  if (!password) errors["login.password"] = "is required";
  if (otp && !/^(\d{6}|recovery:[A-Za-z0-9-]+)$/.test(otp)) errors["login.otp"] = "a 6-digit code";
  return errors;
}

/** rate(n unit) with EventBridge's singular rule, at least 5 minutes; cron is left to the API. */
export function validateSchedule(schedule: string): string | null {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule.trim());
  if (m) {
    const n = Number(m[1]);
    if ((n === 1) !== !m[2].endsWith("s")) return "use the singular unit exactly when the number is 1";
    if (m[2].startsWith("minute") && n < 5) return "runs must be at least 5 minutes apart";
    return null;
  }
  if (/^cron\(.+\)$/.test(schedule.trim())) return null;
  return "write rate(15 minutes) or a cron(...) expression";
}
