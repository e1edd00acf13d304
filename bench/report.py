"""report.py: turn the raw measurements of bench/run.sh into Markdown.

Input: raw.tsv with lines "test kind rep metric value" and a few settings
in the environment (BENCH_*).  Output on stdout: medians per kind, our
ratios against Debian's vde_switch, the targets of issue 9 and whether
they are met, and every repetition's value.
"""
import os
import statistics
import sys

KINDS = ("ours", "orig", "bridge")
NAMES = {"ours": "ours", "orig": "Debian vde_switch", "bridge": "kernel bridge"}


def load(path):
    data = {}
    try:
        f = open(path)
    except OSError:
        return data
    with f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) != 5 or p[4] == "":
                continue
            try:
                v = float(p[4])
            except ValueError:
                continue
            data.setdefault((p[0], p[3], p[1]), []).append(v)
    return data


def med(data, test, metric, kind):
    v = data.get((test, metric, kind))
    return statistics.median(v) if v else None


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if abs(v) >= 100:
        s = "{:,.0f}".format(v)
    elif abs(v) >= 10:
        s = "%.1f" % v
    else:
        s = "%.3g" % v
    return s + unit


def fmtr(v):
    return "n/a" if v is None else "%.2fx" % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def verdict(ok):
    if ok is None:
        return "n/a"
    return "met" if ok else "**not met**"


def row(cells):
    return "| " + " | ".join(cells) + " |"


def main():
    data = load(sys.argv[1])
    env = os.environ.get
    out = []
    w = out.append

    w("Date: %s  " % env("BENCH_DATE", "?"))
    w("Machine: %s  " % env("BENCH_MACHINE", "?"))
    w("Load average (1/5/15 min) at start: %s; at end: %s  " %
      (env("BENCH_LOAD0", "?"), env("BENCH_LOAD1", "?")))
    w("Switches: ours = `%s` (%s); Debian = `%s` (%s)  " %
      (env("BENCH_OURS_PATH", "?"), env("BENCH_OURS_VER", "?"),
       env("BENCH_ORIG_PATH", "?"), env("BENCH_ORIG_VER", "?")))
    w("Blaster client library: %s  " % env("BENCH_BLASTER_LIB", "?"))
    w("Settings: %s; run took %s s" % (env("BENCH_SETTINGS", "?"),
                                        env("BENCH_SECS", "?")))
    w("")
    w("All figures are medians over the repetitions; \"ours / Debian\" is "
      "the ratio of the medians (for RTT, CPU and memory lower is better).")
    w("")

    def blast_table():
        w("### Frame blaster (unpaced: the sender sends as fast as the "
          "switch accepts)")
        w("")
        w(row(["figure", "ours", "Debian", "ours / Debian", "target",
               "verdict"]))
        w(row(["---"] * 6))
        for length in ("64", "1500"):
            t = "blast" + length
            o, d = med(data, t, "fps", "ours"), med(data, t, "fps", "orig")
            r = ratio(o, d)
            w(row(["%s B delivered frames/s" % length, fmt(o), fmt(d),
                   fmtr(r), ">= 1.5x",
                   verdict(None if r is None else r >= 1.5)]))
            w(row(["%s B delivered Mbit/s" % length,
                   fmt(med(data, t, "mbps", "ours")),
                   fmt(med(data, t, "mbps", "orig")), "", "", ""]))
            lo, ld = (med(data, t, "loss_pct", "ours"),
                      med(data, t, "loss_pct", "orig"))
            w(row(["%s B loss %%" % length, fmt(lo), fmt(ld), "",
                   "<= Debian",
                   verdict(None if lo is None or ld is None
                           else lo <= ld)]))
            co, cd = (med(data, t, "cpu_s_per_mframe", "ours"),
                      med(data, t, "cpu_s_per_mframe", "orig"))
            w(row(["%s B switch CPU s / M frames" % length, fmt(co),
                   fmt(cd), fmtr(ratio(co, cd)), "", ""]))
        ho, hd = (med(data, "blast", "hwm_kb", "ours"),
                  med(data, "blast", "hwm_kb", "orig"))
        w(row(["switch peak RSS (VmHWM) kB", fmt(ho), fmt(hd),
               fmtr(ratio(ho, hd)), "", ""]))
        lo, ld = (med(data, "lossless", "fps", "ours"),
                  med(data, "lossless", "fps", "orig"))
        w(row(["best paced 64 B rate with loss <= %s%%, delivered "
               "frames/s" % env("BENCH_LOSSLESS_PCT", "?"),
               fmt(lo), fmt(ld), fmtr(ratio(lo, ld)), "", ""]))
        cost = {}
        for k in ("ours", "orig"):
            a, b = med(data, "idle2", "fps", k), med(data, "idle256", "fps", k)
            cost[k] = None if a is None or b is None or a == 0 else \
                100.0 * (1 - b / a)
        w(row(["64 B frames/s, 2 ports (switch with -n 300)",
               fmt(med(data, "idle2", "fps", "ours")),
               fmt(med(data, "idle2", "fps", "orig")),
               fmtr(ratio(med(data, "idle2", "fps", "ours"),
                         med(data, "idle2", "fps", "orig"))), "", ""]))
        w(row(["64 B frames/s, 2 + 256 idle ports",
               fmt(med(data, "idle256", "fps", "ours")),
               fmt(med(data, "idle256", "fps", "orig")),
               fmtr(ratio(med(data, "idle256", "fps", "ours"),
                         med(data, "idle256", "fps", "orig"))),
               "", ""]))
        w(row(["cost of 256 idle ports (1 - rate256 / rate2)",
               fmt(cost["ours"], "%"), fmt(cost["orig"], "%"), "",
               "<= 20%",
               verdict(None if cost["ours"] is None
                       else cost["ours"] <= 20)]))
        w("")

    def mem_table():
        w("### Memory (switch with -n 64)")
        w("")
        w(row(["figure", "ours", "Debian", "ours / Debian", "target",
               "verdict"]))
        w(row(["---"] * 6))
        for m, label, target in (
                ("rss_idle0_kb", "RSS idle, no port connected, kB", None),
                ("rss_idle32_kb", "RSS idle, 32 ports connected, kB", 4096),
                ("flood_macs", "flood: frames with distinct random source "
                 "MACs sent within %s s" % env("BENCH_FLOOD_WAIT", "?"),
                 None),
                ("flood_rss_kb", "RSS after the flood, kB", None),
                ("flood_hwm_kb", "peak RSS during the flood, kB", None)):
            o, d = med(data, "mem", m, "ours"), med(data, "mem", m, "orig")
            w(row([label, fmt(o), fmt(d), fmtr(ratio(o, d)),
                   "<= %d kB" % target if target else "",
                   verdict(None if o is None else o <= target)
                   if target else ""]))
        o, d = med(data, "flood", "fps", "ours"), med(data, "flood", "fps",
                                                      "orig")
        w(row(["flood: delivered frames/s", fmt(o), fmt(d),
               fmtr(ratio(o, d)), "", ""]))
        w("")

    def tap_table():
        w("### Tap to tap (two namespaces on taps of the switch; the kernel "
          "bridge with veth as reference)")
        w("")
        w(row(["figure", "ours", "Debian", "kernel bridge", "ours / Debian",
               "target", "verdict"]))
        w(row(["---"] * 7))
        for t, m, label, target in (
                ("tcp1", "mbps", "TCP, 1 stream, Mbit/s", 2.0),
                ("tcp4", "mbps", "TCP, 4 streams, Mbit/s", None),
                ("udp64", "pps", "UDP 64 B payload, delivered packets/s", 1.5),
                ("udp64", "loss_pct", "UDP 64 B loss %", None),
                ("udp64", "cpu_s_per_mframe",
                 "switch CPU s / M UDP packets", None),
                ("ping", "rtt_us", "ping RTT (avg) us", "le"),
                ("tap", "hwm_kb", "switch peak RSS kB", None)):
            v = [med(data, t, m, k) for k in KINDS]
            r = ratio(v[0], v[1])
            if target == "le":
                tg, ok = "<= Debian", None if r is None else r <= 1.0
            elif target:
                tg, ok = ">= %gx" % target, None if r is None else r >= target
            else:
                tg, ok = "", None
            w(row([label, fmt(v[0]), fmt(v[1]), fmt(v[2]), fmtr(r), tg,
                   verdict(ok) if tg else ""]))
        w("")

    def all_reps():
        w("### Every repetition")
        w("")
        w("<details><summary>raw values (test, metric, kind: values in run "
          "order)</summary>")
        w("")
        w("```")
        for (t, m, k), v in sorted(data.items()):
            w("%-13s %-18s %-6s %s" % (t, m, k,
                                       " ".join(fmt(x) for x in v)))
        w("```")
        w("")
        w("</details>")

    suites = env("BENCH_SUITES", "")
    if "blast" in suites:
        blast_table()
    if "mem" in suites:
        mem_table()
    if "tap" in suites:
        tap_table()
    failed = sorted({(t, k) for (t, m, k) in data if m == "failed"})
    if failed:
        w("Runs that failed: " + ", ".join("%s/%s" % f for f in failed))
        w("")
    all_reps()
    print("\n".join(out))
    return 0


sys.exit(main())
