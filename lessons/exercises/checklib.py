"""checklib.py — what every exercise's check.py shares (standard library only).

A checker is run as `python check.py FILE`. It copies FILE into a fresh
directory as solution.py, runs code that imports it in a subprocess of its
own session (killed whole on a timeout), and prints one verdict line last:
{"passed": bool, "reason": "...", "figures": {...}}.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

RESULT = "@@mptutor-result@@ "


class NotYet(Exception):
    """The learner's file does not pass: the message says why."""


def verdict(passed, reason, **figures):
    print(json.dumps({"passed": bool(passed), "reason": reason, "figures": figures}))
    sys.stdout.flush()
    sys.exit(0)


def usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def prepare(path):
    """The learner's file copied to a temp dir as solution.py; the dir."""
    if not os.path.isfile(path):
        verdict(False, "no such file: %s" % path)
    d = tempfile.mkdtemp(prefix="mptutor-check-")
    shutil.copy(path, os.path.join(d, "solution.py"))
    return d


def run(d, args, timeout):
    """Run python ARGS in d, its own session; (rc, out, err, timed_out)."""
    p = subprocess.Popen([sys.executable] + args, cwd=d, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        return p.returncode, out, err, True


PRELUDE = """
import json, os, sys, time
sys.path.insert(0, os.getcwd())
import multiprocessing.process as _mpp
_starts = [0]
_orig_start = _mpp.BaseProcess.start
def _counting_start(self):
    _starts[0] += 1
    return _orig_start(self)
_mpp.BaseProcess.start = _counting_start
def _report(value):
    print(%r + json.dumps(value), flush=True)
import solution
""" % RESULT


def call(d, body, timeout):
    """Import solution in a fresh interpreter, run body (it calls _report(value));
    the value, or NotYet with why (an exception, a hang, nothing reported)."""
    rc, out, err, timed_out = run(d, ["-c", PRELUDE + body], timeout)
    if timed_out:
        raise NotYet("it did not finish within %g s (a hang?)" % timeout)
    for line in reversed(out.splitlines()):
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT):])
    last = [l for l in err.strip().splitlines() if l.strip()]
    raise NotYet("it stopped before giving a result (exit %s)%s" % (
        rc, ": " + last[-1] if last else ""))


def main(check):
    """Run check(dir) -> (reason, figures); NotYet fails with its message."""
    if len(sys.argv) != 2:
        verdict(False, "usage: check.py FILE")
    d = prepare(sys.argv[1])
    try:
        reason, figures = check(d)
    except NotYet as e:
        verdict(False, str(e))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    verdict(True, reason, **figures)
