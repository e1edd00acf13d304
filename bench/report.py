"""report.py: turn the raw measurements of bench/run.sh into Markdown.

Input: raw.tsv with lines "test kind rep metric value" and a few settings
in the environment (BENCH_*).  Output on stdout: medians per kind, our
ratios against Debian's vde_switch (and against an older build of ours,
"base", when one was measured), the targets of issue 9 and whether they
are met, and every repetition's value.
"""
import os
import statistics
import sys

NAMES = {"ours": "ours", "base": "base (older ours)",
         "orig": "Debian", "bridge": "kernel bridge",
         "capture": "ours with a capture",
         "capall": "ours with a capture, share 100"}


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


def row(cells):
    return "| " + " | ".join(cells) + " |"


class Report:
    def __init__(self, data, env):
        self.data = data
        self.env = env
        self.out = []
        self.base = any(k == "base" for (_, _, k) in data)

    def w(self, s=""):
        self.out.append(s)

    def med(self, test, metric, kind):
        v = self.data.get((test, metric, kind))
        return statistics.median(v) if v else None

    def table(self, title, kinds, figures):
        """figures: (label, getter(kind) -> value or None, target) where
        target is None, (">=", x) for ratio ours/orig >= x, ("<=orig",)
        for ours <= Debian, or ("<=", x) for ours <= x."""
        kinds = [k for k in kinds if k != "base" or self.base]
        self.w("### " + title)
        self.w()
        head = ["figure"] + [NAMES[k] for k in kinds] + ["ours / Debian"]
        if self.base:
            head.append("ours / base")
        head += ["target", "verdict"]
        self.w(row(head))
        self.w(row(["---"] * len(head)))
        for label, get, target in figures:
            v = {k: get(k) for k in kinds}
            r = ratio(v.get("ours"), v.get("orig"))
            cells = [label] + [fmt(v[k]) for k in kinds] + [fmtr(r)]
            if self.base:
                cells.append(fmtr(ratio(v.get("ours"), v.get("base"))))
            tg, ok = "", None
            o = v.get("ours")
            if target is not None and target[0] == ">=":
                tg = ">= %gx" % target[1]
                ok = None if r is None else r >= target[1]
            elif target is not None and target[0] == "<=orig":
                tg = "<= Debian"
                ok = None if o is None or v.get("orig") is None \
                    else o <= v["orig"]
            elif target is not None and target[0] == "<=":
                tg = "<= %s" % fmt(target[1])
                ok = None if o is None else o <= target[1]
            verdict = "" if not tg else "n/a" if ok is None else \
                "met" if ok else "**not met**"
            cells += [tg, verdict]
            self.w(row(cells))
        self.w()

    def header(self):
        e = self.env
        self.w("Date: %s  " % e("BENCH_DATE", "?"))
        self.w("Machine: %s  " % e("BENCH_MACHINE", "?"))
        self.w("Load average (1/5/15 min) at start: %s; at end: %s  " %
               (e("BENCH_LOAD0", "?"), e("BENCH_LOAD1", "?")))
        self.w("Switches: ours = `%s` (%s); Debian = `%s` (%s)%s  " %
               (e("BENCH_OURS_PATH", "?"), e("BENCH_OURS_VER", "?"),
                e("BENCH_ORIG_PATH", "?"), e("BENCH_ORIG_VER", "?"),
                "; base = `%s`" % e("BENCH_BASE_PATH")
                if e("BENCH_BASE_PATH") else ""))
        self.w("Blaster client library: %s  " % e("BENCH_BLASTER_LIB", "?"))
        self.w("Settings: %s; the run took %s s" %
               (e("BENCH_SETTINGS", "?"), e("BENCH_SECS", "?")))
        self.w()
        self.w("Figures are medians over the repetitions; ratios are ratios "
               "of medians (for RTT, CPU and memory lower is better).")
        self.w()

    def blast(self):
        m = self.med
        figs = []
        for ln in ("64", "1500"):
            t = "blast" + ln
            figs += [
                ("%s B delivered frames/s" % ln,
                 lambda k, t=t: m(t, "fps", k), (">=", 1.5)),
                ("%s B delivered Mbit/s" % ln,
                 lambda k, t=t: m(t, "mbps", k), None),
                ("%s B loss %%" % ln,
                 lambda k, t=t: m(t, "loss_pct", k), ("<=orig",)),
                ("%s B switch CPU s / M frames" % ln,
                 lambda k, t=t: m(t, "cpu_s_per_mframe", k), None)]

        def cost(k):
            a, b = m("idle2", "fps", k), m("idle256", "fps", k)
            return None if a is None or b is None or a == 0 else \
                100.0 * (1 - b / a)
        figs += [
            ("switch peak RSS (VmHWM) kB",
             lambda k: m("blast", "hwm_kb", k), None),
            ("best paced 64 B rate with loss <= %s%%, delivered frames/s" %
             self.env("BENCH_LOSSLESS_PCT", "?"),
             lambda k: m("lossless", "fps", k), None),
            ("64 B frames/s, 2 ports (switch with -n 300)",
             lambda k: m("idle2", "fps", k), None),
            ("64 B frames/s, 2 + 256 idle ports",
             lambda k: m("idle256", "fps", k), None),
            ("cost of 256 idle ports, % (1 - rate256 / rate2)", cost,
             ("<=", 20))]
        self.table("Frame blaster (unpaced: the sender sends as fast as the "
                   "switch accepts)", ("ours", "base", "orig"), figs)

    def mem(self):
        m = self.med
        figs = [
            ("RSS idle, no port connected, kB",
             lambda k: m("mem", "rss_idle0_kb", k), None),
            ("RSS idle, 32 ports connected, kB",
             lambda k: m("mem", "rss_idle32_kb", k), ("<=", 4096)),
            ("flood: distinct random source MACs sent within %s s" %
             self.env("BENCH_FLOOD_WAIT", "?"),
             lambda k: m("mem", "flood_macs", k), None),
            ("flood: delivered frames/s",
             lambda k: m("flood", "fps", k), None),
            ("RSS after the flood, kB",
             lambda k: m("mem", "flood_rss_kb", k), None),
            ("peak RSS (VmHWM) by the end of the flood, kB",
             lambda k: m("mem", "flood_hwm_kb", k), None)]
        self.table("Memory (switch with -n 64)", ("ours", "base", "orig"),
                   figs)

    def handshake(self):
        m = self.med
        figs = [
            ("handshakes/s, root client", lambda k: m("handshake", "root_per_s", k), None),
            ("switch CPU us per handshake, root client",
             lambda k: m("handshake", "root_cpu_us", k), None),
            ("handshakes/s, client as nobody",
             lambda k: m("handshake", "user_per_s", k), None),
            ("switch CPU us per handshake, client as nobody",
             lambda k: m("handshake", "user_cpu_us", k), None)]
        self.table("Handshakes (root switch, -m 777; as nobody, ours "
                   "connects with the client's credentials)",
                   ("ours", "base", "orig"), figs)

    def tap(self):
        m = self.med
        figs = [
            ("TCP, 1 stream, Mbit/s", lambda k: m("tcp1", "mbps", k),
             (">=", 2)),
            ("TCP, 4 streams, Mbit/s", lambda k: m("tcp4", "mbps", k), None),
            ("UDP 64 B payload, delivered packets/s",
             lambda k: m("udp64", "pps", k), (">=", 1.5)),
            ("UDP 64 B loss %", lambda k: m("udp64", "loss_pct", k), None),
            ("UDP 64 B: frames/s reaching B's interface (forwarded)",
             lambda k: m("udp64", "fwd_pps", k), None),
            ("UDP 64 B: % dropped on A's interface before the switch",
             lambda k: m("udp64", "in_drop_pct", k), None),
            ("switch CPU s / M UDP packets",
             lambda k: m("udp64", "cpu_s_per_mframe", k), None),
            ("ping RTT (avg) us", lambda k: m("ping", "rtt_us", k),
             ("<=orig",)),
            ("switch peak RSS kB", lambda k: m("tap", "hwm_kb", k), None)]
        self.table("Tap to tap (two namespaces on taps of the switch; the "
                   "kernel bridge with veth as reference)",
                   ("ours", "base", "orig", "bridge"), figs)

    def pairs(self, test, metric, kind, ref):
        """The median of kind/ref over the repetitions that have both (in
        run order: one repetition's kinds ran back to back)."""
        a = self.data.get((test, metric, kind)) or []
        b = self.data.get((test, metric, ref)) or []
        r = [x / y for x, y in zip(a, b) if y]
        return statistics.median(r) if r else None

    def capture(self):
        """Our switch without and with a capture into a tmpfs file, same
        run: the ratio of the medians, target at most 10% slower; the
        capture with share 100 (all it can write) beside it."""
        m = self.med
        self.w("### Capture (ours, blaster on ports 1 and 2; capture/start "
               "1 both into a file on tmpfs)")
        self.w()
        head = ["figure", "no capture", "capture", "capture / none",
                "target", "verdict", "capture share 100",
                "share 100 / none"]
        self.w(row(head))
        self.w(row(["---"] * len(head)))
        for ln in ("64", "1500"):
            t = "capture" + ln
            for label, metric, target in (
                    ("%s B frames/s delivered" % ln, "fps", 0.9),
                    ("%s B loss %%" % ln, "loss_pct", None),
                    ("%s B switch CPU s / M frames" % ln,
                     "cpu_s_per_mframe", None)):
                a, b = m(t, metric, "ours"), m(t, metric, "capture")
                r = ratio(b, a)
                tg, verdict = "", ""
                if target is not None:
                    tg = ">= %gx" % target
                    verdict = "n/a" if r is None else \
                        "met" if r >= target else "**not met**"
                c = m(t, metric, "capall")
                self.w(row([label, fmt(a), fmt(b), fmtr(r), tg, verdict,
                            fmt(c), fmtr(ratio(c, a))]))
                if metric == "fps":
                    self.w(row([label + ", median of per-repetition "
                                "ratios", "", "", fmtr(self.pairs(
                                    t, metric, "capture", "ours")),
                                "", "", "", fmtr(self.pairs(
                                    t, metric, "capall", "ours"))]))
        self.w(row(["frames captured (per run of both sizes)", "",
                    fmt(m("capture", "cap_frames", "capture")), "", "", "",
                    fmt(m("capture", "cap_frames", "capall")), ""]))
        self.w(row(["frames the capture dropped (buffer full or over "
                    "its share)", "",
                    fmt(m("capture", "cap_dropped", "capture")), "", "",
                    "", fmt(m("capture", "cap_dropped", "capall")), ""]))
        self.w()

    def raw(self):
        self.w("### Every repetition")
        self.w()
        self.w("<details><summary>raw values (test, metric, kind: values "
               "in run order)</summary>")
        self.w()
        self.w("```")
        for (t, m, k), v in sorted(self.data.items()):
            self.w("%-13s %-18s %-6s %s" % (t, m, k,
                                            " ".join(fmt(x) for x in v)))
        self.w("```")
        self.w()
        self.w("</details>")


def main():
    r = Report(load(sys.argv[1]), os.environ.get)
    suites = os.environ.get("BENCH_SUITES", "")
    if "BENCH_DATE" in os.environ:
        r.header()
    if "blast" in suites:
        r.blast()
    if "mem" in suites:
        r.mem()
    if "handshake" in suites:
        r.handshake()
    if "tap" in suites:
        r.tap()
    if "capture" in suites:
        r.capture()
    failed = sorted({(t, k) for (t, m, k) in r.data if m == "failed"})
    if failed:
        r.w("Runs that failed: " + ", ".join("%s/%s" % f for f in failed))
        r.w()
    r.raw()
    print("\n".join(r.out))
    return 0


sys.exit(main())
