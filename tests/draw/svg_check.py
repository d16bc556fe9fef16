#!/usr/bin/python3
"""Checks an SVG written by snapsim draw: well-formed XML (xml.etree), the
expected lanes in order, message arrows, and highlighted witness hops.

usage: svg_check.py FILE.svg --lanes p0,p1,... [--arrows N] [--control N]
                    [--witness-hops N] [--witness-steps N] [--text STRING]...
"""
import argparse
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("svg")
    ap.add_argument("--lanes", required=True)
    ap.add_argument("--arrows", type=int)
    ap.add_argument("--control", type=int)
    ap.add_argument("--witness-hops", type=int)
    ap.add_argument("--witness-steps", type=int)
    ap.add_argument("--text", action="append", default=[])
    a = ap.parse_args()
    try:
        root = ET.parse(a.svg).getroot()
    except ET.ParseError as e:
        print(f"{a.svg}: not well-formed XML: {e}")
        return 1
    if root.tag != NS + "svg":
        print(f"{a.svg}: root is {root.tag}, not svg")
        return 1
    errors = []
    lanes = [e.get("data-actor") for e in root.iter(NS + "line") if e.get("data-actor")]
    if lanes != a.lanes.split(","):
        errors.append(f"lanes {lanes}, expected {a.lanes}")
    # Arrows inside the plot (the legend's samples have no <title>).
    def cls(e):
        return (e.get("class") or "").split()
    arrows = [e for e in root.iter(NS + "line") if "m" in cls(e) and e.find(NS + "title") is not None]
    if a.arrows is not None and len(arrows) != a.arrows:
        errors.append(f"{len(arrows)} arrows, expected {a.arrows}")
    control = [e for e in arrows if "c" in cls(e)]
    if a.control is not None and len(control) != a.control:
        errors.append(f"{len(control)} control arrows, expected {a.control}")
    overlay = [g for g in root.iter(NS + "g") if g.get("class") == "overlay" and g.get("display") != "none"]
    hops = [e for g in overlay for e in g.iter(NS + "line") if cls(e) == ["w"]]
    if a.witness_hops is not None and len(hops) != a.witness_hops:
        errors.append(f"{len(hops)} highlighted witness hops, expected {a.witness_hops}")
    steps = [e for g in overlay for e in g.iter(NS + "circle") if cls(e) == ["wn"]]
    if a.witness_steps is not None and len(steps) != a.witness_steps:
        errors.append(f"{len(steps)} numbered witness events, expected {a.witness_steps}")
    texts = "\n".join("".join(t.itertext()) for t in root.iter(NS + "text"))
    for want in a.text:
        if want not in texts:
            errors.append(f"no text containing {want!r}")
    for e in errors:
        print(f"{a.svg}: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
