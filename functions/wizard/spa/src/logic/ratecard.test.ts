import { describe, expect, it } from "vitest";
import { RateCardForm, rateCardBody, rateCardForm, storagePriceError, validatePrice, validateRateCard } from "./ratecard";

const good: RateCardForm = {
  currency: "eur",
  base: { vcpuHour: "0.0125", memoryGibHour: " 0.004 ", networkGb: "0", storageGbMonth: [{ type: "rbd", price: "0.08" }, { type: "*", price: "0.05" }] },
};

describe("price", () => {
  it("takes plain non-negative decimals", () => {
    expect(validatePrice("0.0125", true)).toBeNull();
    expect(validatePrice("12", true)).toBeNull();
    expect(validatePrice("", false)).toBeNull();
  });

  it("names what is wrong", () => {
    expect(validatePrice("", true)).toBe("is required");
    expect(validatePrice("-0.5", true)).toBe("must not be negative");
    expect(validatePrice("abc", true)).toContain("decimal number");
    expect(validatePrice("1e3", true)).toContain("decimal number");
    expect(validatePrice("1,5", true)).toContain("decimal number");
    expect(validatePrice("0.12345678901", true)).toBe("has more than 10 decimal places");
  });
});

describe("rate card", () => {
  it("accepts a complete card and sends trimmed strings", () => {
    expect(validateRateCard(good)).toEqual({});
    expect(rateCardBody(good)).toEqual({
      currency: "EUR",
      base: { vcpuHour: "0.0125", memoryGibHour: "0.004", networkGb: "0", storageGbMonth: { rbd: "0.08", "*": "0.05" } },
      nodeClasses: {},
      classRates: {},
    });
  });

  it("puts each error under the API's field name", () => {
    const e = validateRateCard({
      currency: "EURO",
      base: { vcpuHour: "-1", memoryGibHour: "x", networkGb: "", storageGbMonth: [{ type: "rbd", price: "0.1" }, { type: "rbd", price: "-2" }, { type: "x-y", price: "" }] },
    });
    expect(e).toEqual({
      currency: "must be a three-letter ISO 4217 code such as EUR",
      "base.vcpuHour": "must not be negative",
      "base.memoryGibHour": "must be a decimal number such as 0.0125",
      "base.networkGb": "is required",
      "base.storageGbMonth[1].type": "rbd is listed twice",
      "base.storageGbMonth[1].price": "must not be negative",
      "base.storageGbMonth.x-y": "is required",
      "base.storageGbMonth": "add a * row: the price of every storage type not listed",
    });
  });

  it("finds a storage price's error under the API's name or the row's index", () => {
    expect(storagePriceError({ "base.storageGbMonth.zfspool": "must not be negative" }, 0, " zfspool ")).toBe("must not be negative");
    expect(storagePriceError({ "base.storageGbMonth[2].price": "is required" }, 2, "Bad Type")).toBe("is required");
    expect(storagePriceError({}, 0, "rbd")).toBeUndefined();
  });

  it("refuses a code that is no currency", () => {
    expect(validateRateCard({ ...good, currency: "XYZ" }).currency).toBe("XYZ is not a known currency");
    expect(validateRateCard({ ...good, currency: "CHF" })).toEqual({});
  });

  it("reads a stored card back into the form", () => {
    expect(rateCardForm(rateCardBody(good))).toEqual({ ...good, currency: "EUR", base: { ...good.base, memoryGibHour: "0.004" }, keep: { nodeClasses: {}, classRates: {} } });
  });

  it("keeps a stored card's node classes on save", () => {
    const stored = { ...rateCardBody(good), nodeClasses: { pve1: "fast" }, classRates: { fast: { vcpuHour: "0.03" } } };
    const body = rateCardBody({ ...rateCardForm(stored), base: { ...rateCardForm(stored).base, vcpuHour: "0.02" } });
    expect(body.nodeClasses).toEqual({ pve1: "fast" });
    expect(body.classRates).toEqual({ fast: { vcpuHour: "0.03" } });
    expect(body.base.vcpuHour).toBe("0.02");
  });
});
