// The rate card form: prices are exact decimals sent as strings (shared/usage RateCardInput);
// the same refusals the API makes (negative, non-numeric, more than 10 decimal places, unknown
// currency) are shown beside the inputs first, under the API's field names.

import { FieldErrors } from "./validate";

export interface RatesForm {
  vcpuHour: string;
  memoryGibHour: string;
  networkGb: string;
  /** storage type -> GB-month price; "*" prices every other type */
  storageGbMonth: { type: string; price: string }[];
}

export interface RateCardForm {
  currency: string;
  base: RatesForm;
  /** per-node-class overrides of a stored card: this form does not edit them, a save keeps them */
  keep?: { nodeClasses: Record<string, string>; classRates: Record<string, unknown> };
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** One price: empty is "not set" (allowed only where the form says so), else a plain non-negative decimal. */
export function validatePrice(v: string, required: boolean): string | null {
  const s = v.trim();
  if (s === "") return required ? "is required" : null;
  if (s.startsWith("-") && DECIMAL.test(s.slice(1))) return "must not be negative";
  if (!DECIMAL.test(s)) return "must be a decimal number such as 0.0125";
  if ((s.split(".")[1] ?? "").length > 10) return "has more than 10 decimal places";
  return null;
}

function currencyKnown(code: string): boolean {
  // The browser knows ISO 4217 names; an unknown code is echoed back unchanged.
  try {
    const name = new Intl.DisplayNames(["en"], { type: "currency", fallback: "none" }).of(code);
    return name !== undefined && name !== code;
  } catch {
    return false;
  }
}

export function validateRateCard(f: RateCardForm): FieldErrors {
  const errors: FieldErrors = {};
  const cur = f.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(cur)) errors.currency = "must be a three-letter ISO 4217 code such as EUR";
  else if (!currencyKnown(cur)) errors.currency = `${cur} is not a known currency`;
  const price = (field: string, v: string, required: boolean) => {
    const e = validatePrice(v, required);
    if (e) errors[field] = e;
  };
  price("base.vcpuHour", f.base.vcpuHour, true);
  price("base.memoryGibHour", f.base.memoryGibHour, true);
  price("base.networkGb", f.base.networkGb, true);
  const seen = new Set<string>();
  f.base.storageGbMonth.forEach((s, i) => {
    const type = s.type.trim();
    if (!/^(\*|[a-z][a-z0-9-]*)$/.test(type)) errors[`base.storageGbMonth[${i}].type`] = "a storage type such as lvmthin, rbd or *";
    else if (seen.has(type)) errors[`base.storageGbMonth[${i}].type`] = `${type} is listed twice`;
    // The API names a storage price by its type (base.storageGbMonth.rbd); a row whose type is
    // not usable yet keeps its index.
    const named = !errors[`base.storageGbMonth[${i}].type`];
    seen.add(type);
    price(named ? `base.storageGbMonth.${type}` : `base.storageGbMonth[${i}].price`, s.price, true);
  });
  if (!seen.has("*")) errors["base.storageGbMonth"] = "add a * row: the price of every storage type not listed";
  return errors;
}

/** The body of `PUT .../rate-card`: trimmed strings, storage rows as a map. */
export function rateCardBody(f: RateCardForm) {
  return {
    currency: f.currency.trim().toUpperCase(),
    base: {
      vcpuHour: f.base.vcpuHour.trim(),
      memoryGibHour: f.base.memoryGibHour.trim(),
      networkGb: f.base.networkGb.trim(),
      storageGbMonth: Object.fromEntries(f.base.storageGbMonth.map((s) => [s.type.trim(), s.price.trim()])),
    },
    nodeClasses: f.keep?.nodeClasses ?? {},
    classRates: f.keep?.classRates ?? {},
  };
}

/** The error of a storage row's price, from the form's check or the API's answer. */
export function storagePriceError(errors: FieldErrors, i: number, type: string): string | undefined {
  return errors[`base.storageGbMonth.${type.trim()}`] ?? errors[`base.storageGbMonth[${i}].price`];
}

/** A stored card (API answer) back into the form. */
export interface StoredRateCard {
  currency: string;
  base: { vcpuHour: string; memoryGibHour: string; networkGb: string; storageGbMonth: Record<string, string> };
  nodeClasses?: Record<string, string>;
  classRates?: Record<string, unknown>;
}

export function rateCardForm(card: StoredRateCard): RateCardForm {
  return {
    currency: card.currency,
    keep: { nodeClasses: card.nodeClasses ?? {}, classRates: card.classRates ?? {} },
    base: {
      vcpuHour: String(card.base.vcpuHour),
      memoryGibHour: String(card.base.memoryGibHour),
      networkGb: String(card.base.networkGb),
      storageGbMonth: Object.entries(card.base.storageGbMonth ?? {}).map(([type, price]) => ({ type, price: String(price) })),
    },
  };
}
