#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Renders the dumbbell study (examples/quic-variants-comparison.cc) like Figure 4 of the
WNS3 2019 ns-3 QUIC paper: congestion window and RTT of each flow, one row per congestion
control, QUIC on the left and ns-3 TCP on the right, with the bandwidth-delay product drawn
across the window panels.

    utils/plot-study.py results/study [--bdp 25000] [--out results/study]

Reads <dir>/<transport>-<cc>-flow<i>-{cwnd,rtt}.txt and writes study-cwnd.png and
study-rtt.png. Python 3 standard library and gnuplot only.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

# (row title, QUIC run prefix, TCP run prefix): the paper's comparison. QUIC's own
# RFC 9002 NewReno has no ns-3 TCP twin; ns-3's TcpLinuxReno (which, like it, counts
# every acknowledged segment in congestion avoidance) stands next to it.
ROWS = [
    ("NewReno (ns3::TcpNewReno)", "quic-TcpNewReno", "tcp-TcpNewReno"),
    ("Vegas (ns3::TcpVegas)", "quic-TcpVegas", "tcp-TcpVegas"),
    ("QUIC NewReno (RFC 9002) vs TCP LinuxReno", "quic-QuicCongestionControl",
     "tcp-TcpLinuxReno"),
]


def flows(folder, prefix):
    """Indices of the flows a run wrote, sorted."""
    found = []
    for path in glob.glob(os.path.join(folder, prefix + "-flow*-cwnd.txt")):
        m = re.search(r"-flow(\d+)-cwnd\.txt$", path)
        if m:
            found.append(int(m.group(1)))
    return sorted(found)


def panel(folder, prefix, title, metric, bdp, ylabel):
    """gnuplot commands for one panel."""
    lines = ['set title "%s" noenhanced' % title, 'set ylabel "%s"' % ylabel]
    plots = []
    indices = flows(folder, prefix)
    if not indices:
        # A missing run is shown as such rather than silently skipped.
        return lines + ['set label 1 "no data: %s" at graph 0.3, graph 0.5 noenhanced' % prefix,
                        "plot [0:1] [0:1] NaN notitle", "unset label 1"]
    colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    for i in indices:
        path = os.path.join(folder, "%s-flow%d-%s.txt" % (prefix, i, metric))
        scale = "($2/1000)" if metric == "cwnd" else "2"
        plots.append("'%s' using 1:%s with steps lw 1.2 lc rgb '%s' title 'flow %d'"
                     % (path, scale, colours[i % len(colours)], i))
    if metric == "cwnd" and bdp > 0:
        plots.append("%g with lines dt 2 lw 1.5 lc rgb 'black' title 'BDP'" % (bdp / 1000.0))
    return lines + ["plot " + ", \\\n     ".join(plots)]


def figure(folder, out, metric, bdp, ylabel, size, terminal="pngcairo", font="sans,9"):
    """Writes one PNG with a 3 x 2 grid of panels; returns its path."""
    png = os.path.join(out, "study-%s.png" % metric)
    script = [
        "set terminal %s size %s font '%s'" % (terminal, size, font),
        "set output '%s'" % png,
        "set multiplot layout %d,2 title '%s per flow: QUIC (left) and ns-3 TCP (right), "
        "same dumbbell' noenhanced" % (len(ROWS), ylabel),
        "set xlabel 'time (s)'",
        "set grid",
        "set key top right",
        "set yrange [0:*]",
    ]
    for title, quic, tcp in ROWS:
        script += panel(folder, quic, "QUIC, " + title.split(" vs ")[0], metric, bdp, ylabel)
        tcp_title = "TCP, " + (title.split(" vs ")[1] if " vs " in title else title)
        script += panel(folder, tcp, tcp_title, metric, bdp, ylabel)
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True)
    return png


def summary_bdp(folder):
    """The bandwidth-delay product the runs' summary lines report, or None."""
    for path in sorted(glob.glob(os.path.join(folder, "*-summary.txt"))):
        with open(path) as f:
            m = re.search(r"bdpBytes=(\d+)", f.read())
        if m:
            return float(m.group(1))
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="folder with the example's series")
    parser.add_argument("--bdp", type=float,
                        help="bandwidth-delay product to draw, bytes (default: the runs' "
                             "summaries say, else 25000)")
    parser.add_argument("--out", help="where to write the PNGs (default: the folder)")
    parser.add_argument("--size", default="1100,950", help="PNG size in pixels, W,H")
    parser.add_argument("--small", action="store_true",
                        help="libgd png terminal (a palette PNG a fifth of the size; "
                             "for doc/figures)")
    args = parser.parse_args()
    if shutil.which("gnuplot") is None:
        sys.exit("plot-study: gnuplot not found (apt-get install gnuplot-nox)")
    out = args.out or args.folder
    bdp = args.bdp if args.bdp is not None else (summary_bdp(args.folder) or 25000.0)
    os.makedirs(out, exist_ok=True)
    for metric, ylabel in (("cwnd", "cwnd (kB)"), ("rtt", "RTT (ms)")):
        if args.small:
            print(figure(args.folder, out, metric, bdp, ylabel, args.size, "png", "DejaVuSans,8"))
        else:
            print(figure(args.folder, out, metric, bdp, ylabel, args.size))


if __name__ == "__main__":
    main()
