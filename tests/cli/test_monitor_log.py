#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Monitor logs (docs/monitor-log.md) from the command line.

Every log is written by tests/tools/make_monitor_log (the writer's API), with fixed times, so its
bytes are the same on every run; tampered copies are made here. Checks:
- `assure monitor --verify-log`: an intact log (text and JSON), a log left open (W0114), copies
  with an edited value, two lines swapped, a line deleted, a line inserted, a cut last line
  (exit 6, E0853/E0854, the first bad line named), a file that is not a log and a missing file
  (exit 1); a signed log with its key, without it (W0115), with another key (E0855) and with a
  key file that cannot be used (exit 2, E0856); bad command lines (exit 2);
- `runtime_monitoring` evidence read from a log (`result: read LOG monitor no violation of C
  within 30 days`, `metric ... = read LOG monitor rate of C within 30 days`): prove and explain
  of a clean log, of a log with a violation inside and outside the window, and of a tampered
  log (never a pass), compared with tests/cli/monitor_log/*.expected (--update rewrites them).

  test_monitor_log.py --assure BIN --make-log BIN [--update]
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []
PASSED = [0]
HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, "monitor_log")


def expect(name, cond, detail=""):
    if cond:
        PASSED[0] += 1
    else:
        FAILS.append(name)
        print(f"FAIL {name} {detail}")


def run(args, cwd, stdin=None):
    r = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout, r.stderr


def day(n):
    """2026-10-01 + n days, as a date."""
    import datetime
    return (datetime.date(2026, 10, 1) + datetime.timedelta(days=n)).isoformat()


def episodes(violation_days=(), days=60):
    """Two episodes a day from 2026-10-01; on the days given, the second violates voyage.G_fog."""
    lines = []
    for n in range(days):
        lines.append({"time": f"{day(n)}T08:00:00Z",
                      "verdict": {"record": 2 * n, "violations": []}})
        second = {"record": 2 * n + 1, "violations": []}
        if n in violation_days:
            second["violations"] = [{"claim": "voyage.G_fog",
                                     "values": {"visibility": "150", "detected": "false"}}]
        lines.append({"time": f"{day(n)}T20:00:00Z", "verdict": second})
    return "".join(json.dumps(x, sort_keys=True) + "\n" for x in lines)


class Env:
    def __init__(self, args, tmp):
        self.assure = os.path.abspath(args.assure)
        self.make = os.path.abspath(args.make_log)
        self.tmp = tmp

    def make_log(self, name, stdin, *extra):
        path = os.path.join(self.tmp, name)
        if os.path.exists(path):
            os.remove(path)
        code, _, err = run([self.make, name, "--case", "sha256:voyage", "--every", "16",
                            "--start", "2026-10-01T00:00:00Z", *extra], self.tmp, stdin)
        if code != 0:
            raise RuntimeError(f"make_monitor_log {name}: {err}")
        return name

    def verify(self, name, *extra):
        return run([self.assure, "monitor", "--verify-log", name, *extra], self.tmp)

    def lines(self, name):
        with open(os.path.join(self.tmp, name), "rb") as f:
            return f.read().split(b"\n")[:-1]

    def tampered(self, name, source, change):
        lines = change(self.lines(source))
        with open(os.path.join(self.tmp, name), "wb") as f:
            f.write(b"".join(line + b"\n" for line in lines))
        return name


def test_verify(env):
    env.make_log("clean.jsonl", episodes())
    code, out, err = env.verify("clean.jsonl")
    expect("verify: intact exits 0", code == 0, err)
    expect("verify: intact says so",
           out.startswith("assure monitor: clean.jsonl: the chain of 129 entries is intact "
                          "(120 verdicts, 8 checkpoints, closed; head "), out)
    expect("verify: intact, no diagnostics", err == "", err)
    code, out, _ = env.verify("clean.jsonl", "--format", "json")
    doc = json.loads(out)
    expect("verify --format json", code == 0 and doc["intact"] and doc["verdicts"] == 120 and
           doc["closed"] and doc["case"] == "sha256:voyage" and len(doc["head"]) == 64, out)
    code, out, err = env.verify("clean.jsonl", "--format", "json")
    expect("verify: deterministic", out == json.dumps(doc, indent=2) + "\n")

    env.make_log("open.jsonl", episodes(days=5), "--no-close")
    code, out, err = env.verify("open.jsonl")
    expect("verify: an open log is intact, with W0114", code == 0 and "warning[W0114]" in err and
           "11 entries after the last checkpoint" in err, err)

    def edit(lines):
        lines[7] = lines[7].replace(b'"record":6', b'"record":7')
        return lines

    def swap(lines):
        lines[10], lines[11] = lines[11], lines[10]
        return lines

    def delete(lines):
        del lines[20]
        return lines

    def insert(lines):
        forged = json.loads(lines[30])
        forged["verdict"]["record"] = 999
        lines.insert(30, json.dumps(forged, separators=(",", ":"), sort_keys=True).encode())
        return lines

    def tail(lines):
        while b'"closed":false' not in lines[-1]:
            lines.pop()
        return lines

    env.tampered("tail.jsonl", "clean.jsonl", tail)
    code, out, err = env.verify("tail.jsonl")
    expect("verify: cut back to a periodic checkpoint: intact, W0114", code == 0 and
           "warning[W0114]" in err and "its last checkpoint does not close it" in err, err)

    cases = [
        ("edited", edit, "E0853", "line 8 (entry 7) was changed after it was written"),
        ("reordered", swap, "E0853", "line 11 holds entry 11 where entry 10 belongs"),
        ("deleted", delete, "E0853", "entry 20 is missing before line 21 (entry 21): deleted"),
        ("inserted", insert, "E0853", "line 31 (entry 30) was inserted"),
    ]
    for name, change, code_id, text in cases:
        env.tampered(name + ".jsonl", "clean.jsonl", change)
        code, out, err = env.verify(name + ".jsonl")
        expect(f"verify: {name}: exit 6", code == 6, f"{code} {err}")
        expect(f"verify: {name}: {code_id} names the first bad entry",
               f"error[{code_id}]" in err and text in err, err)
        code, out, _ = env.verify(name + ".jsonl", "--format", "json")
        doc = json.loads(out)
        expect(f"verify --format json: {name}", not doc["intact"] and
               doc["first_bad_entry"]["kind"] == name and
               doc["first_bad_entry"]["code"] == code_id, out)
    lines = env.lines("clean.jsonl")
    with open(os.path.join(env.tmp, "cut.jsonl"), "wb") as f:
        f.write(b"".join(line + b"\n" for line in lines[:-1]) + lines[-1][:40])
    code, out, err = env.verify("cut.jsonl")
    expect("verify: a cut last line: exit 6, E0854",
           code == 6 and "error[E0854]" in err and "line 129 has no newline" in err, err)
    code, _, err = run([env.make, "cut.jsonl", "--start", "2026-12-01T00:00:00Z"], env.tmp, "")
    expect("writer: a torn log is refused", code == 1 and err.startswith("E0854"), err)
    code, _, err = run([env.make, "cut.jsonl", "--repair", "--start", "2026-12-01T00:00:00Z"],
                       env.tmp, "")
    code, out, err = env.verify("cut.jsonl")
    expect("writer: repaired on request, the repair recorded", code == 0 and
           b'"kind":"repair"' in env.lines("cut.jsonl")[-2], err)
    code, _, err = run([env.make, "edited.jsonl", "--start", "2026-12-01T00:00:00Z"], env.tmp,
                       "")
    expect("writer: a broken log is refused", code == 1 and err.startswith("E0853"), err)

    with open(os.path.join(env.tmp, "report.csv"), "w") as f:
        f.write("id,value\n1,2\n")
    code, out, err = env.verify("report.csv")
    expect("verify: not a log: exit 1, E0851", code == 1 and "error[E0851]" in err, err)
    code, out, err = env.verify("missing.jsonl")
    expect("verify: missing: exit 1, E0850", code == 1 and "error[E0850]" in err, err)
    os.symlink("clean.jsonl", os.path.join(env.tmp, "link.jsonl"))
    code, _, err = run([env.make, "link.jsonl"], env.tmp, "")
    expect("writer: never through a symlink", code == 1 and err.startswith("E0850"), err)
    code, out, err = run([env.assure, "monitor", "--verify-log"], env.tmp)
    expect("verify: no file: exit 2", code == 2, err)
    code, out, err = env.verify("clean.jsonl", "--format", "yaml")
    expect("verify: bad --format: exit 2", code == 2, err)


def test_signed(env):
    code, _, err = run([env.assure, "keygen", "-o", "monitor.key"], env.tmp)
    expect("keygen", code == 0, err)
    code, _, err = run([env.assure, "keygen", "-o", "other.key"], env.tmp)
    env.make_log("signed.jsonl", episodes(days=20), "--sign", "monitor.key")
    code, out, err = env.verify("signed.jsonl", "--key", "monitor.key.pub")
    expect("signed: verified with its key", code == 0 and
           "every checkpoint is signed by sha256:" in out and err == "", out + err)
    code, out, err = env.verify("signed.jsonl")
    expect("signed: without a key, W0115", code == 0 and "warning[W0115]" in err, err)
    code, out, err = env.verify("signed.jsonl", "--key", "other.key.pub")
    expect("signed: another key, E0855", code == 6 and "error[E0855]" in err, err)
    code, out, err = env.verify("signed.jsonl", "--key", "monitor.key")
    expect("signed: a private key given, E0856, exit 2", code == 2 and "error[E0856]" in err, err)
    code, out, err = env.verify("clean.jsonl", "--key", "monitor.key.pub")
    expect("signed: an unsigned log with a key, E0855", code == 6 and "error[E0855]" in err and
           "not signed" in err, err)


CASE = """module voyage

domain Sea {
  visibility : real [0, 20000] unit "m"
}

artifact voyage_log "voyage.jsonl" sha256 "SHA"

evidence E_runtime "Runtime monitoring of the voyage" {
  kind: runtime_monitoring
  result: read voyage_log monitor no violation of G_fog within 30 days
  metric violations_per_1000_episodes = read voyage_log monitor rate of G_fog within 30 days over Sea
}

claim G_fog "Obstacles are detected in fog" {
  scope: Sea where visibility < 1000
  requires: violations_per_1000_episodes <= 1
  supported_by: E_runtime
}
"""


def compare(args, name, text):
    path = os.path.join(EXPECTED, name)
    if args.update:
        with open(path, "w") as f:
            f.write(text)
        return
    with open(path) as f:
        want = f.read()
    expect(f"golden {name}", text == want, "\n--- got\n" + text + "--- want\n" + want)


def test_prove(env, args):
    def judge(log_name, at):
        with open(os.path.join(env.tmp, log_name), "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        shutil.copy(os.path.join(env.tmp, log_name), os.path.join(env.tmp, "voyage.jsonl"))
        with open(os.path.join(env.tmp, "voyage.assure"), "w") as f:
            f.write(CASE.replace("SHA", sha))
        code, out, err = run([env.assure, "prove", "voyage.assure", "--at", at], env.tmp)
        code2, out2, err2 = run([env.assure, "explain", "voyage.assure", "G_fog", "--at", at],
                                env.tmp)
        return (f"$ assure prove voyage.assure --at {at}\n{out}{err}--- exit {code}\n"
                f"$ assure explain voyage.assure G_fog --at {at}\n{out2}{err2}--- exit {code2}\n")

    env.make_log("violation.jsonl", episodes(violation_days=(40,)))
    text = judge("clean.jsonl", "2026-11-25")
    compare(args, "prove_clean.expected", text)
    expect("prove: a clean log supports the claim", "--- exit 0" in text.split("$ assure explain")[0])
    text = judge("violation.jsonl", "2026-11-15")
    compare(args, "prove_violation.expected", text)
    expect("prove: a violation in the window fails the evidence",
           "--- exit 5" in text.split("$ assure explain")[0])
    text = judge("violation.jsonl", "2026-12-25")
    compare(args, "prove_violation_old.expected", text)
    expect("prove: a violation before the window does not count",
           "--- exit 0" in text.split("$ assure explain")[0])
    text = judge("edited.jsonl", "2026-11-25")
    compare(args, "prove_tampered.expected", text)
    expect("prove: a tampered log is never a pass", "--- exit 5" in text.split("$ assure explain")[0]
           and "does not verify (edited)" in text)
    # Before the log began: nothing monitored, pending, not a pass.
    text = judge("clean.jsonl", "2026-09-15")
    expect("prove: a window without episodes is pending", "--- exit 5" in text and
           "nothing was monitored" in text, text)


def doc_block(text, marker):
    """The fenced block right after `<!-- monitor-log-test: MARKER -->`."""
    at = text.index(f"<!-- monitor-log-test: {marker}")
    start = text.index("```text\n", at) + len("```text\n")
    return text[start:text.index("```\n", start)]


def test_doc(env):
    """docs/monitor-log.md's example log and verify session, as written."""
    with open(os.path.join(HERE, "..", "..", "docs", "monitor-log.md")) as f:
        doc = f.read()
    stdin = ('{"time":"2026-11-23T08:00:01.25Z","verdict":{"record":1,"violations":[]}}\n'
             '{"time":"2026-11-23T08:00:02.5Z","verdict":{"record":2,"violations":'
             '[{"claim":"agent.G_refund","values":{"refund":"2"}}]}}\n')
    path = os.path.join(env.tmp, "doc", "voyage.jsonl")
    os.makedirs(os.path.dirname(path))
    code, _, err = run([env.make, "voyage.jsonl", "--case", "sha256:4f1c", "--every", "1000",
                        "--start", "2026-11-23T08:00:00Z"], os.path.dirname(path), stdin)
    with open(path) as f:
        expect("doc: the example log is what the writer writes",
               code == 0 and f.read() == doc_block(doc, "log voyage.jsonl"), err)
    session = ""
    for line in doc_block(doc, "verify").splitlines():
        if not line.startswith("$ "):
            continue
        cmd = line[2:]
        if cmd.startswith("sed "):
            with open(path) as f:
                data = f.read()
            with open(path, "w") as f:
                f.write(data.replace('"record":1', '"record":3'))
            session += line + "\n"
            continue
        argv = cmd.split()
        assert argv[0] == "assure"
        _, out, err = run([env.assure] + argv[1:], os.path.dirname(path))
        session += line + "\n" + out + err
    expect("doc: the verify session prints what the doc shows",
           session.rstrip("\n") + "\n" == doc_block(doc, "verify"), "\n" + session)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--make-log", required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="assure-monitor-log-") as tmp:
        env = Env(args, tmp)
        test_verify(env)
        test_signed(env)
        test_doc(env)
        test_prove(env, args)
    print(f"{PASSED[0]} passed, {len(FAILS)} failed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
