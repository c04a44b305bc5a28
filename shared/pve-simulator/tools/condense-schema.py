#!/usr/bin/env python3
"""Condense the official Proxmox VE API schema (apidata-*.json, as extracted from pve-docs'
api-viewer) to the endpoints the simulator serves: per path and method only the return schema
(type, properties, items, optional, enum, additionalProperties) - no descriptions.

Usage: tools/condense-schema.py <schema-dir> <out-dir>
Writes <out-dir>/condensed-<release>.json for each apidata-<version>.json found.
The endpoint list is read from src/test/resources/schema/served-endpoints.txt.
"""
import json
import os
import re
import sys

KEEP = ("type", "optional", "enum", "additionalProperties")


def condense(schema):
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key in KEEP:
        if key in schema:
            out[key] = schema[key]
    if "properties" in schema:
        out["properties"] = {k: condense(v) for k, v in sorted(schema["properties"].items())}
    if "items" in schema:
        out["items"] = condense(schema["items"])
    return out


def walk(nodes, index):
    for node in nodes:
        index[node["path"]] = node.get("info", {})
        walk(node.get("children", []), index)


def main():
    schema_dir, out_dir = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    served_file = os.path.join(here, "..", "src", "test", "resources", "schema", "served-endpoints.txt")
    served = []
    with open(served_file) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                method, path = line.split()
                served.append((method, path))
    for name in sorted(os.listdir(schema_dir)):
        m = re.match(r"apidata-(\d+\.\d+)[.-].*\.json$", name)
        if not m:
            continue
        release = m.group(1)
        with open(os.path.join(schema_dir, name)) as f:
            index = {}
            walk(json.load(f), index)
        endpoints = {}
        for method, path in served:
            info = index.get(path, {}).get(method)
            if info is None:
                continue
            endpoints.setdefault(path, {})[method] = {"returns": condense(info.get("returns", {}))}
        out = os.path.join(out_dir, "condensed-%s.json" % release)
        with open(out, "w") as f:
            json.dump({"source": name, "endpoints": endpoints}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(out, len(endpoints), "paths")


if __name__ == "__main__":
    main()
