#!/usr/bin/env python3
"""vmsim plot: figures from a sweep's results (vmsim sweep ... -o DIR).

    Each image comes with a JSON file of the same name holding the numbers
    it shows.

    vmsim plot curve DIR [-o curve.png] [--metric miss-rate|mpki]
        TLB misses against entries, one panel per trace: a point per
        configuration of the sweep (the RTL's figures), with the curves of
        fully associative LRU TLBs of every size (one pass, stack distances)
        and of Belady's OPT, the bound no policy beats, from
        `vmsim trace TRACE --tlb-curve`.

    vmsim plot pareto DIR [-o pareto.png] [--area synth.json] [--area-metric cells|flip_flops]
        Miss rate (the mean over the sweep's traces) against area: Yosys
        generic cells or flip-flops of each configuration's MMU (from
        scripts/synth.py, run here for the configurations that --area does not
        already hold). The Pareto frontier, the configurations no other beats
        on both, is drawn as a line.

    vmsim plot latency DIR [-o latency.png]
        The walk-latency histogram of each job (cycles from request to
        response of the translations that walked), one panel per trace, a
        line per configuration and option value, with its p50 and p99.

    vmsim plot phases DIR|RUN.json [-o phases.png]
        TLB misses per 1,000 translations in each interval of a replay, against
        the reference where it starts: one panel per trace, a line per job
        (runs made with `vmsim trace --interval N`, e.g. a sweep whose "args"
        hold it), or the one run of a `vmsim trace --json` file. Phases show
        as steps.

Where a sweep has option axes (--mem-latency ...), curve and pareto plot the
rows with each axis's first value, or those --where picks (--where
--mem-latency=100); latency plots every value. Exit status 2 on
bad usage or input.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICY_COLOURS = {"plru": "tab:blue", "lru": "tab:green", "fifo": "tab:orange", "random": "tab:purple"}


def die(msg):
    print(f"vmsim plot: {msg}", file=sys.stderr)
    sys.exit(2)


def load_rows(d, where, every_axis_value=False):
    path = os.path.join(d, "results.csv")
    if not os.path.exists(path):
        die(f"{path} does not exist: is {d} the output of vmsim sweep?")
    with open(path) as f:
        rows = [r for r in csv.DictReader(f) if r.get("exit") == "0"]
    if not rows:
        die(f"{path} has no finished job that passed")
    axes = [k for k in rows[0] if k.startswith("--")]
    for axis in [] if every_axis_value else axes:
        want = where.get(axis, rows[0][axis])
        rows = [r for r in rows if r[axis] == want]
    for key, value in where.items():
        if key not in rows[0]:
            die(f"--where {key}: no such column in {path}")
        rows = [r for r in rows if r[key] == value]
    if not rows:
        die("no rows are left after --where")
    return rows


def y_of(row, metric):
    """A run's misses on the curves' scale. A first touch of a page faults,
    and the runtime maps the page and retries: two misses where the curves,
    which know nothing of faults, count one. The faulting walks are taken
    off, and the rate is per trace reference, as the curves' is."""
    misses = float(row["tlb.misses"]) - float(row.get("walks.faulting") or 0)
    if metric == "mpki":
        return 1000.0 * misses / max(1.0, float(row["accesses.fetches"]))
    return misses / max(1.0, float(row["trace.references"]))


def tlb_curve(vmsim, trace, sizes, no_opt):
    cmd = [vmsim, "trace", trace, "--tlb-curve", "--curve-entries", *map(str, sizes)]
    if no_opt:
        cmd.append("--no-opt")
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        die(f"{' '.join(cmd)}: {out.stderr.strip()}")
    lru, opt, refs = {}, {}, None
    for line in out.stdout.splitlines():
        m = re.match(r"vmsim trace .*: (\d+) page references", line)
        if m:
            refs = int(m.group(1))
        f = line.split()
        if len(f) >= 3 and f[0].isdigit():
            lru[int(f[0])] = int(f[1])
            if len(f) >= 5:
                opt[int(f[0])] = int(f[3])
    return lru, opt, refs


def plot_curve(args, plt):
    rows = load_rows(args.dir, args.where)
    traces = sorted({r["trace_path"] for r in rows})
    data = {}
    fig, axes = plt.subplots(1, len(traces), figsize=(5.2 * len(traces), 4.2), squeeze=False)
    for ax, trace in zip(axes[0], traces):
        mine = [r for r in rows if r["trace_path"] == trace]
        top = max(int(r["tlb.entries"]) for r in mine)
        sizes = [1 << k for k in range(0, max(1, top.bit_length() + 1) + 1)]
        lru, opt, refs = tlb_curve(args.vmsim, trace, sizes, args.no_opt)
        fetches = float(mine[0]["accesses.fetches"])
        scale = (1000.0 / max(1.0, fetches)) if args.metric == "mpki" else 1.0 / max(1, refs)
        ax.plot(sizes, [lru[s] * scale for s in sizes], "-", color="0.4", label="fully associative LRU")
        if opt:
            ax.plot(sizes, [opt[s] * scale for s in sizes], "--", color="0.6", label="OPT (Belady)")
        data[os.path.basename(trace)] = {"sizes": sizes, "lru_misses": [lru[s] for s in sizes],
                       "opt_misses": [opt[s] for s in sizes] if opt else None, "references": refs,
                       "points": []}
        labelled = set()
        for r in sorted(mine, key=lambda r: int(r["tlb.entries"])):
            x, y = int(r["tlb.entries"]), y_of(r, args.metric)
            data[os.path.basename(trace)]["points"].append(
                {"config": r["config"], "geometry": r["tlb.geometry"], "entries": x,
                 "misses": int(r["tlb.misses"]) - int(r.get("walks.faulting") or 0), "y": y})
            # Generated configurations are told apart by policy (colour); named
            # ones (presets, your files) are stars with their names.
            policy = r["tlb.geometry"].split()[1]
            if r["config"].startswith("g-"):
                ax.plot([x], [y], "o", color=POLICY_COLOURS.get(policy, "black"), alpha=0.85,
                        label=None if policy in labelled else f"{policy} (generated)")
                labelled.add(policy)
            else:
                ax.plot([x], [y], "*", color="black", markersize=10)
                ax.annotate(r["config"], (x, y), textcoords="offset points", xytext=(5, -10), fontsize=8)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("TLB entries")
        ax.set_ylabel("misses per 1,000 fetches" if args.metric == "mpki" else "misses per reference")
        ax.set_title(os.path.basename(trace), fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return fig, data


def plot_latency(args, plt):
    rows = load_rows(args.dir, args.where, every_axis_value=True)
    # Label lines by the axes whose value varies (a constant one says nothing).
    axes_of = [k for k in rows[0] if k.startswith("--") and len({r[k] for r in rows}) > 1]
    traces = sorted({r["trace_path"] for r in rows})
    fig, axes = plt.subplots(1, len(traces), figsize=(5.2 * len(traces), 4.2), squeeze=False)
    data = {}
    for ax, trace in zip(axes[0], traces):
        name = os.path.basename(trace)
        data[name] = {}
        for r in [r for r in rows if r["trace_path"] == trace]:
            with open(os.path.join(args.dir, "results", f"{int(r['job']):04}.json")) as f:
                hist = {int(c): n for c, n in json.load(f).get("walks.latency_histogram", {}).items()}
            if not hist:
                continue
            label = " ".join([r["config"]] + [f"{a} {r[a]}" for a in axes_of])
            data[name][label] = hist
            xs = sorted(hist)
            # Points at the latencies seen, joined: no bars across the gaps.
            ax.plot(xs, [hist[x] for x in xs], "o-", markersize=2.5, linewidth=0.9,
                    label=f"{label} (p50 {r['walks.latency_p50']}, p99 {r['walks.latency_p99']})")
        ax.set_yscale("log")
        ax.set_xlabel("walk latency (cycles)")
        ax.set_ylabel("walks")
        ax.set_title(name, fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=6)
    fig.tight_layout()
    return fig, data


def plot_phases(args, plt):
    if os.path.isfile(args.dir):  # one run's JSON
        with open(args.dir) as f:
            run = json.load(f)
        runs = {os.path.basename(args.dir): [(run.get("tlb.geometry") or "run", run)]}
    else:
        runs = {}
        for r in load_rows(args.dir, args.where, every_axis_value=True):
            with open(os.path.join(args.dir, "results", f"{int(r['job']):04}.json")) as f:
                runs.setdefault(os.path.basename(r["trace_path"]), []).append((r["config"], json.load(f)))
    runs = {t: [(l, j) for l, j in rs if j.get("intervals")] for t, rs in runs.items()}
    runs = {t: rs for t, rs in runs.items() if rs}
    if not runs:
        die("no intervals to plot: run vmsim trace with --interval N (in a sweep, under \"args\")")
    fig, axes = plt.subplots(1, len(runs), figsize=(5.2 * len(runs), 4.2), squeeze=False)
    data = {}
    for ax, (trace, rs) in zip(axes[0], sorted(runs.items())):
        data[trace] = {}
        top = 0
        for label, j in rs:
            rows = j["intervals"]
            xs = [r["first"] for r in rows] + [rows[-1]["first"] + rows[-1]["references"]]
            ys = [r["misses_per_1k"] for r in rows]
            data[trace][label] = [{"first": r["first"], "misses_per_1k": r["misses_per_1k"]} for r in rows]
            ax.stairs(ys, xs, label=label, linewidth=1.0)
            top = max([top] + ys)
        ax.set_ylim(0, 1.3 * top if top > 0 else 1)  # room for the legend above the steps
        ax.set_xlabel("reference")
        ax.set_ylabel("TLB misses per 1,000 translations")
        ax.set_title(trace, fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=6, loc="upper right")
    fig.tight_layout()
    return fig, data


def synth_key(geometry):
    """scripts/synth.py's name for a report's tlb.geometry: "1x16 plru", or
    "L1D 16x4 plru + 32 superpage, L1I 16x8 plru + 8 superpage, L2 128x8 plru
    + 16 superpage (9 cycles)", either followed by "; PWC L1 8 lru, L2 4 plru"
    and then by "; 2 walkers, 4 slots"."""
    one = r"(\d+)x(\d+) (\w+)(?: \+ (\d+) superpage)?"
    g = lambda m: f"{m.group(1)}x{m.group(2)},{m.group(3)},{m.group(4) or 0}"
    tlbs, *extras = geometry.split("; ")
    pwc = ""
    for extra in extras:
        if m := re.fullmatch(r"(\d+) walkers, (\d+) slots", extra):
            pwc += f";walkers={m.group(1)},{m.group(2)}"
            continue
        for part in extra.removeprefix("PWC ").split(", "):
            if not (m := re.fullmatch(r"L([1-4]) (\d+) (\w+)", part)):
                die(f"cannot read the page-walk caches in '{geometry}'")
            pwc += f";pwc{m.group(1)}={m.group(2)},{m.group(3)}"
    if m := re.fullmatch(one, tlbs):
        return g(m) + pwc
    key = None
    for part in tlbs.split(", "):
        if m := re.fullmatch(r"L1D? " + one, part):
            key = g(m)
        elif (m := re.fullmatch(r"L1I " + one, part)) and key:
            key += ";i=" + g(m)
        elif (m := re.fullmatch(r"L2 " + one + r" \((\d+) cycles\)", part)) and key:
            key += f";l2={g(m)},{m.group(5)}"
        else:
            die(f"cannot read the TLB geometry '{geometry}'")
    return key + pwc


def areas(args, keys):
    known = {}
    if args.area:
        with open(args.area) as f:
            for r in json.load(f):
                known[(r["tlb"], r["xlen"])] = r
    missing = sorted({k for k in keys if (k, 64) not in known})
    if missing:
        out = os.path.join(args.dir, "synth")
        cmd = [sys.executable, os.path.join(ROOT, "scripts", "synth.py"), "--out", out]
        for k in missing:
            cmd += ["--config", f"{k}:64"]
        print(f"vmsim plot: synthesising {len(missing)} configurations with Yosys ...", file=sys.stderr)
        if subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode != 0:
            die(f"synthesis failed; see {out}")
        with open(os.path.join(out, "synth.json")) as f:
            for r in json.load(f):
                known[(r["tlb"], r["xlen"])] = r
    return {k: known[(k, 64)] for k in keys}


def plot_pareto(args, plt):
    rows = load_rows(args.dir, args.where)
    by_config = {}
    for r in rows:
        by_config.setdefault(r["config"], []).append(r)
    keys = {c: synth_key(rs[0]["tlb.geometry"]) for c, rs in by_config.items()}
    area = areas(args, set(keys.values()))
    points = []
    for c, rs in by_config.items():
        y = sum(y_of(r, args.metric) for r in rs) / len(rs)
        points.append((area[keys[c]][args.area_metric], y, c))
    points.sort()
    frontier, best = [], float("inf")
    for x, y, c in points:
        if y < best:
            frontier.append((x, y))
            best = y
    fig, ax = plt.subplots(figsize=(7.2, 5.0))
    ax.step([p[0] for p in frontier], [p[1] for p in frontier], where="post", color="tab:red",
            label="Pareto frontier")
    labelled = set()
    for x, y, c in points:
        geometry = by_config[c][0]["tlb.geometry"]
        policy = geometry.split()[1]
        if c.startswith("g-"):  # generated: colour by policy, entries as the label
            ax.plot([x], [y], "o", color=POLICY_COLOURS.get(policy, "black"),
                    label=None if policy in labelled else f"{policy} (generated)")
            labelled.add(policy)
            ax.annotate(geometry.split()[0], (x, y), textcoords="offset points", xytext=(4, 3), fontsize=7)
        else:
            ax.plot([x], [y], "*", color="black", markersize=10)
            ax.annotate(c, (x, y), textcoords="offset points", xytext=(5, -10), fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Yosys generic cells" if args.area_metric == "cells" else "flip-flops")
    ax.set_ylabel(("misses per 1,000 fetches" if args.metric == "mpki" else "misses per reference")
                  + f" (mean of {len(set(r['trace'] for r in rows))} traces)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig, {"points": [{"config": c, "area": x, "y": y} for x, y, c in points],
                 "frontier": [{"area": x, "y": y} for x, y in frontier]}


def may_overwrite(path):
    """Whether the figures file may replace what is at `path`: nothing, or an
    earlier plot's figures; never a sweep file or a file that is not JSON."""
    if not os.path.exists(path):
        return True
    try:
        with open(path) as f:
            old = json.load(f)
    except (OSError, ValueError):
        return False
    return not (isinstance(old, dict) and {"traces", "configs", "generate"} & set(old))


def main():
    ap = argparse.ArgumentParser(prog="vmsim plot", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["curve", "pareto", "latency", "phases"])
    ap.add_argument("dir", help="a vmsim sweep output directory (phases: or one run's JSON)")
    ap.add_argument("-o", "--output", help="the image to write (.png, .svg, .pdf); default DIR/KIND.png")
    ap.add_argument("--metric", choices=["miss-rate", "mpki"], default="miss-rate")
    ap.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                    help="plot only rows whose column KEY is VALUE (repeatable)")
    ap.add_argument("--area", help="a synth.json from scripts/synth.py (pareto)")
    ap.add_argument("--area-metric", choices=["cells", "flip_flops"], default="cells")
    ap.add_argument("--no-opt", action="store_true", help="curve: leave out OPT (it holds the trace in memory)")
    ap.add_argument("--vmsim", default=os.environ.get("VMSIM", "vmsim"), help=argparse.SUPPRESS)
    # "--where --mode=sv39" names an option axis, which argparse would take
    # for an option of its own: join each --where with its value first.
    argv, i = [], 0
    raw = sys.argv[1:]
    while i < len(raw):
        if raw[i] == "--where" and i + 1 < len(raw):
            argv.append("--where=" + raw[i + 1])
            i += 2
        else:
            argv.append(raw[i])
            i += 1
    args = ap.parse_args(argv)
    where = {}
    for w in args.where:
        if "=" not in w:
            die(f"--where {w}: expected KEY=VALUE")
        k, v = w.split("=", 1)
        where[k] = v
    args.where = where
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        die("matplotlib is not installed (Debian: apt-get install python3-matplotlib)")
    plots = {"curve": plot_curve, "pareto": plot_pareto, "latency": plot_latency, "phases": plot_phases}
    fig, data = plots[args.kind](args, plt)
    out = args.output or (os.path.splitext(args.dir)[0] + f"-{args.kind}.png" if os.path.isfile(args.dir)
                          else os.path.join(args.dir, f"{args.kind}.png"))
    figures = os.path.splitext(out)[0] + ".json"
    if not may_overwrite(figures):
        die(f"{figures} exists and is not a figure file vmsim plot wrote (a sweep file?): "
            f"name the picture otherwise with -o, since its figures go beside it")
    fig.savefig(out, dpi=110)
    with open(figures, "w") as f:  # the figures behind the picture
        json.dump(data, f, indent=1)
    print(f"vmsim plot: wrote {out} and, with the data it shows, {os.path.splitext(out)[0]}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
