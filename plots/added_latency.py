#!/usr/bin/python3
"""Latency added to application messages by the snapshot protocol (against
the same run with protocol none), blocking vs OGM, against the snapshot
frequency. Input: a sweep of experiments/figures/added_latency.yaml."""
import collections

from common import aggregate, num, parse_args, plt, save


def main():
    args = parse_args(__doc__)
    series = collections.defaultdict(list)
    for r in aggregate(args.dirs[0]):
        series[r["protocol.kind"]].append((
            num(r, "protocol.snapshots.rate_hz"),
            num(r, "app_latency_added_ns.mean.mean") / 1000,
            num(r, "app_latency_added_ns.mean.ci95", 0) / 1000,
            num(r, "app_latency_added_ns.p99.mean") / 1000,
            num(r, "app_latency_added_ns.p99.ci95", 0) / 1000))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(8.4, 3.2), sharex=True)
    for kind in sorted(series):
        pts = sorted(series[kind])
        xs = [p[0] for p in pts]
        nz = lambda v: 0 if v != v else v  # noqa: E731
        a1.errorbar(xs, [p[1] for p in pts], yerr=[nz(p[2]) for p in pts], marker="o", ms=3,
                    capsize=2, label=kind)
        a2.errorbar(xs, [p[3] for p in pts], yerr=[nz(p[4]) for p in pts], marker="o", ms=3,
                    capsize=2, label=kind)
    for a, what in ((a1, "mean"), (a2, "p99")):
        a.set_xscale("log", base=2)
        a.set_xlabel("snapshot frequency (Hz)")
        a.set_ylabel("added latency, %s (us)" % what)
        a.axhline(0, color="k", lw=0.6)
        a.legend()
    a1.set_title("Application latency added (mean)")
    a2.set_title("Application latency added (p99)")
    save(fig, args.out, "fig-added-latency")


if __name__ == "__main__":
    main()
