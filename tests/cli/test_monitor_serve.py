#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runtime results feed the argument (issue 19, docs/monitor.md "Runtime results feed the
argument"): `assure monitor --log` writes the verdicts of runtime records to a hash-chained
log; a `runtime_monitoring` evidence of the case reads it (`monitor no violation of C`);
`prove` reflects it; `impact` says what a violation changes; and with `--notify` a running
`assure serve` is told the log's new digest after each violation, so the violation is an event
of the history that fails the evidence.

  test_monitor_serve.py --assure BIN --root REPO
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from serve_support import Service, make_token  # noqa: E402

FAILURES = []

CASE = """module ops

domain Episode "One refund conversation" {
    reported_refund : bool
    refunds_issued  : int [0, 5]
}

artifact verdict_log "verdicts.log" sha256 "%s"

evidence E_runtime "The runtime monitor saw no double refund in the last 30 days" {
    kind: runtime_monitoring
    result: read verdict_log monitor no violation of G_once within 30 days
    metric double_refunds_per_1000 = read verdict_log monitor rate of G_once within 30 days over Episode
}

claim G_once "At most one refund is issued per conversation" {
    scope: Episode
    formal: refunds_issued <= 1
    requires: double_refunds_per_1000 <= 0
    supported_by: E_runtime
}
"""


def expect(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        FAILURES.append(what)


def episodes(path, bad_at=None, count=40):
    with open(path, "w") as f:
        for k in range(count):
            issued = 2 if k == bad_at else (1 if k % 2 == 0 else 0)
            f.write(json.dumps({"id": f"ep-{k:03d}", "reported_refund": k % 2 == 0,
                                "refunds_issued": issued}) + "\n")


def run(argv, cwd, env, stdin=None):
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, stdin=stdin,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def sha256(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    assure = os.path.abspath(args.assure)
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(args.root, "stdlib"))
    env.pop("ASSURE_CLOCK_FILE", None)
    env.pop("ASSURE_HISTORY_NOW", None)
    work = tempfile.mkdtemp(prefix="assure-monitor-serve-")
    try:
        clean = os.path.join(work, "clean.jsonl")
        bad = os.path.join(work, "bad.jsonl")
        episodes(clean)
        episodes(bad, bad_at=7, count=10)
        # 1. The log of a clean run, then the case pinning it (its digest as written).
        case = os.path.join(work, "ops.assure")
        with open(case, "w") as f:
            f.write(CASE % ("0" * 64))
        code, out, err = run([assure, "monitor", case, "--input", clean, "--log", "verdicts.log",
                              "--checkpoint-every", "16"], work, env)
        expect("monitor --log on clean records exits 0", code == 0, err)
        log = os.path.join(work, "verdicts.log")
        code, out, err = run([assure, "monitor", "--verify-log", log], work, env)
        expect("the log verifies", code == 0 and "intact" in out, out + err)
        with open(case, "w") as f:
            f.write(CASE % sha256(log))
        code, out, err = run([assure, "prove", case, "--format", "json"], work, env)
        proof = json.loads(out) if out.strip().startswith("{") else {}
        expect("prove: the runtime evidence read from a clean log supports the claim", code == 0,
               out[-2000:] + err)

        code, out, err = run([assure, "impact", case, "--change", "artifact:verdict_log"], work,
                             env)
        expect("impact: a change of the log puts E_runtime and G_once at risk",
               code == 5 and "E_runtime" in out and "G_once" in out, out + err)

        # 2. A violation logged: prove reflects it once the log's new contents are accepted
        # (impact --change artifact: says what the log's change puts at risk).
        work2 = os.path.join(work, "offline")
        os.mkdir(work2)
        shutil.copy(case, work2)
        shutil.copy(log, work2)
        code, out, err = run([assure, "monitor", os.path.join(work2, "ops.assure"), "--input",
                              bad, "--log", "verdicts.log", "--fail-on", "violation"], work2, env)
        expect("monitor --fail-on violation exits 5 on a double refund", code == 5, out + err)
        expect("the violation names the claim and the values",
               "ops.G_once" in out and "refunds_issued" in out, out)

        # 3. The same through a running service: monitor --notify posts the log's digest.
        token_path, token = make_token(work)
        svc = Service(assure, [case], work, os.path.join(work, "history.db"), env, work,
                      token_file=token_path)
        expect("serve starts on the case", svc.start(), svc.err())
        status, _, body = svc.get("/status")
        st = json.loads(body)
        expect("the service starts supported", st.get("result") == "supported", body[:400])
        url = f"http://127.0.0.1:{svc.port}"
        code, out, err = run([assure, "monitor", case, "--input", bad, "--log", "verdicts.log",
                              "--notify", url, "--token-file", token_path, "--log-artifact",
                              "verdict_log"], work, env)
        expect("monitor --notify exits 0", code == 0, out + err)
        expect("monitor says how many events it posted", "in 2 events" in err, err)
        status, _, body = svc.get("/status")
        st = json.loads(body)
        expect("after the violation the service's case is not supported",
               st.get("result") == "not_supported", body[:600])
        status, _, body = svc.get("/claims/ops.G_once")
        text = body.decode(errors="replace")
        expect("G_once is unsupported: E_runtime failed by the log's verdict",
               status == 200 and "E_runtime" in text and "violation" in text, text[:1500])
        status, _, body = svc.get("/history")
        hist = body.decode(errors="replace")
        expect("the violation is an event of the history, naming the claim",
               "violates ops.G_once" in hist and "accept:ops.verdict_log=" in hist, hist[:1500])
        code, out, err = run([assure, "monitor", "--verify-log", log], work, env)
        expect("the log still verifies after the appends", code == 0, out + err)
        expect("no token in the service's log", token not in svc.err() + svc.out())
        svc.stop()
        code, out, err = run([assure, "history", "--db", os.path.join(work, "history.db"),
                              "--verify"], work, env)
        expect("the history's chain verifies", code == 0, out + err)

        # 4. Refusals: --notify without --log-artifact, a service that is not there.
        code, out, err = run([assure, "monitor", case, "--input", clean, "--log", "v2.log",
                              "--notify", url], work, env)
        expect("--notify without --log-artifact is refused (2, E0608)",
               code == 2 and "E0608" in err, err)
        expect("and the log was not created", not os.path.exists(os.path.join(work, "v2.log")))
        code, out, err = run([assure, "monitor", case, "--input", bad, "--log", "v3.log",
                              "--notify", url, "--token-file", token_path, "--log-artifact",
                              "verdict_log"], work, env)
        expect("a service that cannot be reached fails the run (2, E0820)",
               code == 2 and "E0820" in err, err)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
