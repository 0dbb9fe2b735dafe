#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The replay test: a trace written by `assure prove --trace` replays with a stock solver.

For each case, runs `assure prove CASE --trace DIR --at DATE [ARGS]`, then checks that
  - DIR holds manifest.json, result.json and every obligation and rule file the manifest lists;
  - each rule violation (up to 100 per rule) has a ground SMT-LIB file that z3 finds sat, with
    the facts it rests on asserted (a non-empty body), and each rule has a file over all its
    instances that z3 finds sat exactly when the rule is violated;
  - changing one fact assertion of a violated instance's file can flip its answer to unsat;
  - every `; [name]` header line of every SMT-LIB file matches a `:named` assertion, in order,
    and names a source line (file:line);
  - validity.json agrees with `assure prove --format json` (evidence validity, artifacts'
    hashes and states, defeaters' activity, hazards' levels), each record with its source line;
  - the manifest records the SHA-256 of every input file, and the path, SHA-256 and size of
    every file of the trace itself;
  - running the `z3` binary (Debian's, found on PATH) on every obligation file prints the
    answer the manifest records (an `unknown` answer is not replayed: the solver gave up);
  - a second run into the same folder gives byte-identical files (determinism), and a run into
    a folder that is not a trace is refused without writing anything.

  test_replay.py --assure BIN --root REPO [--z3 z3] CASE_FILES...   (one case: its files)
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


DATE = "2026-11-23"


def run_prove(assure, root, files, trace, extra):
    env = dict(os.environ)
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    return subprocess.run([assure, "prove", *files, "--trace", trace, "--at", DATE,
                           *extra], cwd=root, env=env, capture_output=True, timeout=600)


def golden_args(root, path):
    """The date and extra arguments of a golden case's `// args: CMD ...` line (its output
    format left out: the trace is what is checked), and the files of its `// files:` line."""
    global DATE
    words, files = [], [path]
    with open(os.path.join(root, path)) as f:
        for _ in range(3):
            line = f.readline()
            if line.startswith("// args:"):
                words = line.split()[3:]
            elif line.startswith("// files:"):
                files = [os.path.join(os.path.dirname(path), n) for n in line.split()[2:]]
    extra = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
        elif w == "--at":
            DATE = words[i + 1]
            skip = True
        elif w == "--format":
            skip = True
        elif not w.startswith("-") and i > 0 and words[i - 1] in ("--stdlib", "--rlimit",
                                                                   "--timeout"):
            extra.append(w)
        elif w.startswith("-"):
            extra.append(w)
    return extra, files


NAMED = re.compile(r":named ([A-Za-z0-9_]+)\)\)")
HEADER = re.compile(r"^; \[([A-Za-z0-9_]+)\](.*)$", re.M)
LOCATION = re.compile(r"[^ ()]+\.assure:\d+")
FACT = re.compile(r"\(assert \(! \(= ([A-Za-z0-9_]+) ([^\n]*)\)\n   :named (fact_[A-Za-z0-9_]+)\)\)")


def z3_answer(z3, path=None, text=None):
    cmd = [z3, "-T:60", path] if path else [z3, "-T:60", "-in"]
    proc = subprocess.run(cmd, input=text.encode() if text is not None else None,
                          capture_output=True, timeout=120)
    lines = proc.stdout.decode().strip().splitlines()
    return lines[0] if lines else ""


def check_headers(name, text, failures):
    """Every `; [name] note` header line names one `:named` assertion, in the same order, and
    (unless the fact is left unasserted) a source line."""
    headers = [(m.group(1), m.group(2)) for m in HEADER.finditer(text)]
    asserted = [h for h in headers if not h[1].startswith(" not asserted")]
    named = NAMED.findall(text)
    if [h[0] for h in asserted] != named:
        failures.append(f"{name}: header lines {[h[0] for h in asserted]} do not match the named "
                        f"assertions {named}")
    if text.count("(assert") != len(named):
        failures.append(f"{name}: {text.count('(assert')} assertions, {len(named)} named")
    for h, note in headers:
        if not LOCATION.search(note):
            failures.append(f"{name}: header line [{h}] names no source line: {note}")


def mutations(value):
    """Other values for a fact: the other truth value, or numbers around and far from it."""
    if value == "true":
        return ["false"]
    if value == "false":
        return ["true"]
    negative = re.fullmatch(r"\(- ([0-9.]+)\)", value)
    try:
        number = -float(negative.group(1)) if negative else float(value)
    except ValueError:
        return []  # a rational value: (/ 1.0 3.0)
    real = "." in value
    out = []
    for delta in [1, -1, 1000000, -1000000] + [k - number for k in range(0, 12)]:
        v = number + delta
        if v < 0:
            out.append(f"(- {abs(v):.1f})" if real else f"(- {int(abs(v))})")
        else:
            out.append(f"{v:.1f}" if real else str(int(v)))
    return out


def flips(z3, text):
    """Whether changing one fact assertion of a sat file makes it unsat."""
    for m in FACT.finditer(text):
        for other in mutations(m.group(2).strip()):
            mutated = text[:m.start(2)] + other + text[m.end(2):]
            if z3_answer(z3, text=mutated) == "unsat":
                return True
    return False


def check_validity(assure, root, files, extra, trace, failures):
    """validity.json against `prove --format json` of the same case."""
    env = dict(os.environ)
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    proc = subprocess.run([assure, "prove", *files, "--format", "json", "--at", DATE,
                           *extra], cwd=root, env=env, capture_output=True, timeout=600)
    proof = json.loads(proc.stdout.decode())
    with open(os.path.join(trace, "validity.json")) as f:
        validity = json.load(f)
    if validity.get("format") != "assure-validity" or validity.get("version") != 1:
        failures.append("validity.json: not format assure-validity version 1")
    if validity["date"] != proof["date"]:
        failures.append(f"validity.json judged at {validity['date']}, the proof at {proof['date']}")
    want = {e["name"]: e for e in proof["evidence"]}
    for e in validity["evidence"]:
        p = want.pop(e["name"], None)
        if p is None:
            failures.append(f"validity.json: evidence {e['name']} is not in the proof")
            continue
        if e["validity"] != p["status"] or e["result"]["judged"] != p["result"]:
            failures.append(f"validity.json: {e['name']} is {e['validity']} ({e['result']}), "
                            f"the proof says {p['status']} ({p['result']})")
        if [r["kind"] for r in e["reasons"]] != [r["kind"] for r in p["reasons"]]:
            failures.append(f"validity.json: {e['name']}'s reasons differ from the proof's")
        if e["valid_until"]["value"] != p["valid_until"]:
            failures.append(f"validity.json: {e['name']}'s valid_until differs")
        if e["valid_until"]["value"] is not None:
            expired = e["valid_until"]["value"] < validity["date"]
            if e["valid_until"]["expired"] != expired and not e["reverified"]:
                failures.append(f"validity.json: {e['name']}'s expiry is wrong")
            if "evidence_expired" in [r["kind"] for r in e["reasons"]] and not expired:
                failures.append(f"validity.json: {e['name']} expired on a later date")
        if [a["name"] for a in e["artifacts"]] != p["artifacts"]:
            failures.append(f"validity.json: {e['name']}'s artifacts differ")
        if not LOCATION.match(e["at"] or ""):
            failures.append(f"validity.json: {e['name']} has no source line")
        for r in e["reads"]:
            if not LOCATION.match(r["at"] or ""):
                failures.append(f"validity.json: a read of {e['name']} has no source line")
    if want:
        failures.append(f"validity.json: missing evidence {sorted(want)}")
    arts = {a["name"]: a for a in proof["artifacts"]}
    for a in validity["artifacts"]:
        p = arts.get(a["name"])
        if p is None or (a["state"], a["actual_sha256"], a["recorded_sha256"]) != \
                (p["state"], p["sha256"], p["recorded_sha256"]):
            failures.append(f"validity.json: artifact {a['name']} differs from the proof")
        if a["actual_sha256"] is not None:
            path = os.path.join(root, a["path"])
            with open(path, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != a["actual_sha256"]:
                    failures.append(f"validity.json: artifact {a['name']}'s sha256 is wrong")
        if not LOCATION.match(a["at"] or ""):
            failures.append(f"validity.json: artifact {a['name']} has no source line")
    if len(validity["artifacts"]) != len(proof["artifacts"]):
        failures.append("validity.json: not every artifact is recorded")
    defs = {d["name"]: d for d in proof["defeaters"]}
    for d in validity["defeaters"]:
        p = defs.get(d["name"])
        if p is None or d["activity"] != p["activity"] or not LOCATION.match(d["at"] or ""):
            failures.append(f"validity.json: defeater {d['name']} differs from the proof")
    if len(validity["defeaters"]) != len(proof["defeaters"]):
        failures.append("validity.json: not every defeater is recorded")
    hz = {h["name"]: h for h in proof.get("hazards", [])}
    for h in validity["hazards"]:
        p = hz.get(h["name"])
        if p is None or h["level"] != p["level"]:
            failures.append(f"validity.json: hazard {h['name']} differs from the proof")
            continue
        if h["lookup"] is not None:
            if h["lookup"]["level"] != p["level"] or \
                    h["lookup"]["residual_level"] != p.get("residual_level"):
                failures.append(f"validity.json: hazard {h['name']}'s lookup differs")
            unmet = {f["claim"] for f in p["findings"] if f["kind"] == "risk_demand_unmet"}
            for d in h["demands"]:
                for c in d["claims"]:
                    if (c["verdict"] != "met") != (c["claim"] in unmet):
                        failures.append(f"validity.json: demand of {h['name']} on {c['claim']}")


def check_digests(trace, manifest, failures):
    """The manifest lists every file of the trace but itself with its sha256 and size."""
    on_disk = sorted(p for p in snapshot(trace) if p != "manifest.json")
    digests = manifest.get("digests", [])
    if sorted(d["path"] for d in digests) != on_disk or \
            [d["path"] for d in digests] != manifest["files"]:
        failures.append("manifest digests do not list exactly the trace's files")
    for d in digests:
        with open(os.path.join(trace, d["path"]), "rb") as f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != d["sha256"] or len(data) != d["size"]:
            failures.append(f"manifest digest of {d['path']} is wrong")


def snapshot(folder):
    out = {}
    for base, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(base, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--z3", default="z3")
    ap.add_argument("--arg", action="append", default=[], help="extra argument for prove")
    ap.add_argument("--date", help="the date judged at (default 2026-11-23)")
    ap.add_argument("--golden", action="store_true",
                    help="take the date and arguments from the first file's `// args:` line")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    global DATE
    if args.date:
        DATE = args.date
    if args.golden:
        extra, args.files = golden_args(args.root, args.files[0])
        args.arg = extra + args.arg
    root = os.path.abspath(args.root)
    assure = os.path.abspath(args.assure)
    failures = []
    work = tempfile.mkdtemp(prefix="assure-trace-")
    try:
        trace = os.path.join(work, "trace")
        proc = run_prove(assure, root, args.files, trace, args.arg)
        if proc.returncode not in (0, 3, 5):
            print(proc.stderr.decode())
            print(f"FAIL: assure prove exited {proc.returncode}")
            return 1
        with open(os.path.join(trace, "manifest.json")) as f:
            manifest = json.load(f)
        with open(os.path.join(trace, "result.json")) as f:
            result = json.load(f)
        if result["exit_code"] != proc.returncode:
            failures.append(f"result.json says exit {result['exit_code']}, process {proc.returncode}")
        for inp in manifest["inputs"]:
            path = os.path.join(root, inp["path"])
            if os.path.exists(path):
                with open(path, "rb") as f:
                    if hashlib.sha256(f.read()).hexdigest() != inp["sha256"]:
                        failures.append(f"manifest hash of {inp['path']} is wrong")
        replayed = 0
        for ob in manifest["obligations"]:
            path = os.path.join(trace, ob["file"])
            if not os.path.exists(path):
                failures.append(f"missing {ob['file']}")
                continue
            if ob["expected"] == "unknown":
                continue
            z3 = subprocess.run([args.z3, "-T:60", path], capture_output=True, timeout=120)
            answer = z3.stdout.decode().strip().splitlines()[:1]
            replayed += 1
            if answer != [ob["expected"]]:
                failures.append(f"{ob['file']}: z3 says {answer}, assure recorded {ob['expected']}")
        rule_files = manifest.get("rules", [])
        flipped = {}
        for rf in rule_files:
            path = os.path.join(trace, rf["file"])
            if not os.path.exists(path):
                failures.append(f"missing {rf['file']}")
                continue
            with open(path) as f:
                text = f.read()
            check_headers(rf["file"], text, failures)
            if rf["expected"] == "unknown":
                continue
            answer = z3_answer(args.z3, path)
            replayed += 1
            if answer != rf["expected"]:
                failures.append(f"{rf['file']}: z3 says {answer}, assure recorded {rf['expected']}")
            if rf.get("kind") == "instance" and rf["expected"] == "sat":
                if rf["facts_asserted"] and ":named fact_" not in text:
                    failures.append(f"{rf['file']}: a violation with no fact asserted")
                if re.search(r"\(assert \(! true\n   :named violated\)\)", text):
                    failures.append(f"{rf['file']}: the violation's formula is empty")
                if rf["facts_asserted"] and rf["rule"] not in flipped:
                    flipped[rf["rule"]] = flips(args.z3, text)
        # (Some violations survive any one change, `count(...) >= 3` over two elements: one
        # violated rule whose answer a single fact flips is asked for, per case.)
        if flipped and not any(flipped.values()):
            failures.append(f"no single fact changed flips the first violation of any of the "
                            f"rules {sorted(flipped)}")
        for ob in manifest["obligations"]:
            with open(os.path.join(trace, ob["file"])) as f:
                check_headers(ob["file"], f.read(), failures)
        # Every violation (up to 100 per rule) has its file, unless too large to write out, and
        # every rule has its file over all its instances, sat exactly when it is violated.
        written = {}
        whole = {}
        for rf in rule_files:
            if rf.get("kind") == "instance":
                written[rf["rule"]] = written.get(rf["rule"], 0) + 1
            elif rf.get("kind") == "rule":
                whole[rf["rule"]] = rf
        for rule in result.get("rules", []):
            want = min(len(rule["violations"]) + len(rule["undecided"]), 200)
            if written.get(rule["name"], 0) != want:
                failures.append(f"rule {rule['name']}: {want} violations and undecided "
                                f"instances, {written.get(rule['name'], 0)} instance files")
            w = whole.get(rule["name"])
            if w is None:
                failures.append(f"rule {rule['name']}: no file over all its instances")
            elif w["complete"] and w["expected"] != ("sat" if rule["violations"] else
                                                     "unknown" if rule["undecided"] else "unsat"):
                failures.append(f"rule {rule['name']}: its file expects {w['expected']}")
            elif w["violated"] != len(rule["violations"]):
                failures.append(f"rule {rule['name']}: {w['violated']} violated instances "
                                f"traced, {len(rule['violations'])} found")
        check_validity(assure, root, args.files, args.arg, trace, failures)
        check_digests(trace, manifest, failures)
        if not manifest["obligations"] and not rule_files:
            failures.append("the case produced no obligations or rule violations: nothing was "
                            "replayed")
        first = snapshot(trace)
        proc2 = run_prove(assure, root, args.files, trace, args.arg)
        if proc2.returncode != proc.returncode or snapshot(trace) != first:
            failures.append("a second run into the same trace folder gave different files")
        other = os.path.join(work, "not-a-trace")
        os.makedirs(other)
        with open(os.path.join(other, "notes.txt"), "w") as f:
            f.write("mine")
        proc3 = run_prove(assure, root, args.files, other, args.arg)
        if proc3.returncode == 0 or sorted(os.listdir(other)) != ["notes.txt"]:
            failures.append("a folder that is not a trace was written to")
        print(f"{len(manifest['obligations'])} obligations, {len(rule_files)} rule files, "
              f"{replayed} replayed with {args.z3}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
