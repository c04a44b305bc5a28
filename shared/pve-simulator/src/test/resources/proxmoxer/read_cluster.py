"""Reads the simulator with the real proxmoxer client, token auth, TLS verified against the CA.

Usage: read_cluster.py HOST:PORT USER TOKEN_NAME CA_PEM NODE VMID  (token value on stdin)
Prints one JSON object the Java test asserts on.
"""
import json
import sys

from proxmoxer import ProxmoxAPI

host, user, token_name, ca, node, vmid = sys.argv[1:7]
token_value = sys.stdin.readline().strip()
px = ProxmoxAPI(host, user=user, token_name=token_name, token_value=token_value,
                verify_ssl=ca, timeout=20)
version = px.version.get()
resources = px.cluster.resources.get()
vms = px.cluster.resources.get(type="vm")
config = px.nodes(node).qemu(vmid).config.get()
rrd = px.nodes(node).qemu(vmid).rrddata.get(timeframe="hour", cf="AVERAGE")
print(json.dumps({
    "version": version,
    "resourceTypes": sorted({r["type"] for r in resources}),
    "vmCount": len(vms),
    "config": {"name": config.get("name"), "net0": config.get("net0"), "digest": config.get("digest")},
    "rrdPoints": len(rrd),
    "rrdFirst": rrd[0] if rrd else None,
}))
