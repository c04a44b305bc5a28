import { describe, expect, it } from "vitest";
import { diffRows, outermost, poolTree } from "./cis";
import { fieldErrors, isProblem, summary } from "./problems";

describe("history diff", () => {
  it("shows each changed property with before and after", () => {
    const rows = diffRows([
      { path: "attributes.memoryMiB", previousValue: 8192, updatedValue: 16384, kind: "MODIFIED" },
      { path: "attributes.description", previousValue: null, updatedValue: "web", kind: "ADDED" },
      { path: "attributes.tags", previousValue: ["a"], updatedValue: null, kind: "REMOVED" },
    ]);
    expect(rows.map((r) => `${r.path} ${r.kind} ${r.before} -> ${r.after}`)).toEqual([
      "attributes.description added — -> web",
      "attributes.memoryMiB changed 8192 -> 16384",
      'attributes.tags removed ["a"] -> —',
    ]);
  });
});

describe("pools", () => {
  it("builds the nested pool tree and keeps the outermost selection", () => {
    const tree = poolTree(["prod/web", "dev", "prod", "prod/db"]);
    expect(tree.map((n) => n.id)).toEqual(["dev", "prod"]);
    expect(tree[1].children.map((n) => n.name)).toEqual(["db", "web"]);
    expect(poolTree(["a/b/c"])[0].children[0].children[0].id).toBe("a/b/c");
    expect(outermost(["prod/web", "prod", "dev", "dev"])).toEqual(["dev", "prod"]);
  });
});

describe("problems", () => {
  it("maps field errors to the inputs", () => {
    const p = { type: "x/validation", title: "The request is not valid", status: 400, detail: "d", errors: [{ field: "endpoint.port", message: "must be from 1 to 65535" }] };
    expect(isProblem(p)).toBe(true);
    expect(isProblem({ items: [] })).toBe(false);
    expect(fieldErrors(p)).toEqual({ "endpoint.port": "must be from 1 to 65535" });
    expect(summary(p)).toContain("endpoint.port must be");
  });
});
