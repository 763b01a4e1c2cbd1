"""Checker of exercise 6: run_parallel right and >= 1.3x faster than run_serial."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402
from checklib import NotYet  # noqa: E402


BODY = '''
items = [1600000] * 4
def busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v[:3]) + sum(v[5:8])
def own_cpu():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system
ser, par, ws, wp = [], [], None, None
b0, c0, w0 = busy_ticks(), own_cpu(), time.perf_counter()
for _ in range(3):
    t = time.perf_counter(); ws = solution.run_serial(items); ser.append(time.perf_counter() - t)
    t = time.perf_counter(); wp = solution.run_parallel(items); par.append(time.perf_counter() - t)
wall = time.perf_counter() - w0
others = (busy_ticks() - b0) / os.sysconf("SC_CLK_TCK") - (own_cpu() - c0)
_report({"ws": ws, "wp": wp, "ser": min(ser), "par": min(par), "starts": _starts[0],
         "busy": max(0.0, others) / (len(os.sched_getaffinity(0)) * wall)})
'''


def check(d):
    r = checklib.call(d, BODY, 90)
    if r["wp"] != r["ws"]:
        raise NotYet("run_parallel gave other results than run_serial")
    cpus = checklib.usable_cpus()
    speedup = r["ser"] / max(r["par"], 1e-9)
    fig = {"serial_s": round(r["ser"], 3), "parallel_s": round(r["par"], 3),
           "speedup": round(speedup, 2), "cpus": cpus}
    fig["others_busy"] = round(r["busy"], 2)
    if cpus < 2 or (speedup < 1.3 and r["busy"] > 0.25):
        why = ("only 1 CPU is usable here" if cpus < 2 else
               "other programs kept the machine %d%% busy" % (100 * r["busy"]))
        if r["starts"] < 2:
            raise NotYet("right results, but no worker process was started (threads share "
                         "one GIL); %s, so the speedup (%.2fx) cannot be judged" % (why, speedup))
        return ("right results from %d processes; %s, so the speedup (%.2fx) cannot be "
                "judged" % (r["starts"], why, speedup)), fig
    if False:
        return ("right results; only 1 CPU is usable here, so the speedup (%.2fx) "
                "cannot be judged" % speedup), fig
    if speedup < 1.3:
        raise NotYet("right results, but %.2fx: %.3f s against %.3f s serial (need 1.3x "
                     "on %d CPUs; threads share one GIL)" % (speedup, r["par"], r["ser"], cpus))
    return "%.2fx faster than serial on %d CPUs (%.3f s vs %.3f s)" % (
        speedup, cpus, r["par"], r["ser"]), fig


checklib.main(check)
