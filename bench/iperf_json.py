"""iperf_json.py: print the figures of one iperf3 -J result as key=value.

TCP: mbps (received).  UDP: mbps, pps (delivered packets/s), loss_pct and
packets (sent).  Prints nothing when the run failed.
"""
import json
import sys


def main():
    try:
        with open(sys.argv[1]) as f:
            j = json.load(f)
    except (OSError, ValueError):
        return 1
    if "error" in j:
        sys.stderr.write("iperf3: %s\n" % j["error"])
        return 1
    end = j.get("end", {})
    if j.get("start", {}).get("test_start", {}).get("protocol") == "UDP":
        s = end.get("sum_received") or end.get("sum")
        sent = end.get("sum_sent") or end.get("sum")
        if not s or not s.get("seconds"):
            return 1
        packets = sent.get("packets", s.get("packets", 0))
        lost = s.get("lost_packets", 0)
        got = s.get("packets", 0) - lost
        print("mbps=%.2f pps=%.0f loss_pct=%.3f packets=%d" % (
            s.get("bits_per_second", 0) / 1e6, got / s["seconds"],
            s.get("lost_percent", 0.0), packets))
    else:
        s = end.get("sum_received")
        if not s:
            return 1
        print("mbps=%.2f" % (s["bits_per_second"] / 1e6))
    return 0


sys.exit(main())
