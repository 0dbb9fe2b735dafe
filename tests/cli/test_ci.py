#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The CI outputs of `assure prove` and `assure impact` (docs/ci.md): --junit, --sarif,
--markdown, --gitlab-cq and --format github, checked for validity (ci_formats.py), agreement
with the JSON verdicts, determinism, unknown never shown as a pass, GitHub's annotation limits
and escaping, paths relative to the repository, and the rules of writing report files (refused,
unwritable and forced outputs; input errors still written).

  test_ci.py --assure BIN --root REPO
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import ci_formats
from harness import arguments, copy_case, expect, finish, read, tracked_files, write

ROOT = ""
ASSURE = ""
AT = ["--at", "2026-11-23"]
FORMATS = {"junit": "r.xml", "sarif": "r.sarif", "markdown": "r.md", "gitlab-cq": "r.json"}
CHECKS = {"junit": ci_formats.check_junit, "sarif": ci_formats.check_sarif,
          "markdown": ci_formats.check_markdown, "gitlab-cq": ci_formats.check_gitlab}


def run(args, cwd, timeout=300):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    return subprocess.run([ASSURE] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def outputs(folder):
    """`--junit F --sarif F ...` for files in `folder`."""
    return [a for name, f in FORMATS.items() for a in ("--" + name, os.path.join(folder, f))]


def read_outputs(folder):
    result = {}
    for name, f in FORMATS.items():
        path = os.path.join(folder, f)
        result[name] = read(path).decode() if os.path.exists(path) else None
    return result


def valid(label, files, names=FORMATS):
    ok = True
    for name in names:
        try:
            if files.get(name) is None:
                raise AssertionError("not written")
            CHECKS[name](files[name])
        except Exception as e:  # noqa: BLE001 - any failure of a check is the test's failure
            expect(f"{label}: {name} is valid", False, repr(e)[:400])
            ok = False
    if ok:
        expect(f"{label}: every format is valid", True)


def cases():
    """The shipped examples and the flawed twins of the prove goldens."""
    found = []
    for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        folder = os.path.join("examples", name)
        files = sorted(f for f in os.listdir(os.path.join(ROOT, folder)) if f.endswith(".assure"))
        found.append((name, [os.path.join(folder, f) for f in files]))
    twins = os.path.join(ROOT, "tests", "golden", "prove")
    for name in sorted(os.listdir(twins)):
        folder = os.path.join(twins, name)
        if os.path.isdir(folder):
            files = sorted(f for f in os.listdir(folder) if f.endswith(".assure"))
            if files:
                found.append((name, [os.path.relpath(os.path.join(folder, f), ROOT)
                                     for f in files]))
    return found


def test_cases_agree(tmp):
    """Each case: every format valid, byte-identical on a second run, and the JUnit top claims
    and SARIF results saying what --format json says."""
    for name, files in cases():
        out = os.path.join(tmp, "agree-" + name)
        os.makedirs(out)
        p = run(["prove"] + AT + ["--format", "github"] + outputs(out) + files, ROOT)
        first = read_outputs(out)
        valid(name, first)
        try:
            ci_formats.check_github(p.stdout.decode())
            expect(f"{name}: --format github keeps to the limits", True)
        except AssertionError as e:
            expect(f"{name}: --format github keeps to the limits", False, repr(e))
        again = run(["prove"] + AT + ["--format", "github"] + outputs(out) + files, ROOT)
        expect(f"{name}: the same bytes on a second run",
               read_outputs(out) == first and again.stdout == p.stdout and
               again.returncode == p.returncode)
        j = run(["prove"] + AT + ["--format", "json"] + files, ROOT)
        expect(f"{name}: the exit code is prove's", j.returncode == p.returncode,
               f"{j.returncode} vs {p.returncode}")
        doc = json.loads(j.stdout)
        if "claims" not in doc:  # a case with input errors: checked by test_input_errors
            continue
        verdicts = {c["name"]: c["verdict"] for c in doc["claims"] if c["top"]}
        junit = ET.fromstring(first["junit"].encode())
        seen = {}
        for case in junit.iter("testcase"):
            if case.get("classname") == "assure.prove.top_claims":
                outcome = ("failure" if case.find("failure") is not None else
                           "error" if case.find("error") is not None else
                           "skipped" if case.find("skipped") is not None else "pass")
                seen[case.get("name")] = outcome
        wanted = {n: {"supported": "pass", "unknown": "error", "unsupported": "failure",
                      "undeveloped": "failure"}[v] for n, v in verdicts.items()}
        expect(f"{name}: one JUnit test case per top claim, with its verdict", seen == wanted,
               f"{seen} vs {wanted}")
        sarif = json.loads(first["sarif"])
        results = sarif["runs"][0]["results"]
        failing = [n for n, v in verdicts.items() if v != "supported"]
        claims = {c for r in results for c in r.get("properties", {}).get("claims", [])}
        expect(f"{name}: every failing top claim has its root causes in SARIF",
               claims == set(failing), f"{claims} vs {failing}")


def test_unknown(tmp):
    """A claim the solver leaves open is an <error>, an `open` SARIF result, a GitHub warning
    and a major GitLab issue: never a pass, never a definite failure."""
    out = os.path.join(tmp, "unknown")
    os.makedirs(out)
    case = os.path.join("tests", "golden", "prove", "unknown-rlimit.assure")
    p = run(["prove", "--at", "2026-06-15", "--rlimit", "1", "--z3-only", "--format", "github"]
            + outputs(out) + [case], ROOT)
    files = read_outputs(out)
    valid("unknown", files)
    expect("unknown: exit code 3", p.returncode == 3, p.returncode)
    junit = ET.fromstring(files["junit"].encode())
    cases_ = list(junit.iter("testcase"))
    expect("unknown: the top claim is a JUnit <error>, not a pass or a failure",
           len(cases_) == 1 and cases_[0].find("error") is not None and
           cases_[0].find("failure") is None)
    results = json.loads(files["sarif"])["runs"][0]["results"]
    expect("unknown: every SARIF result is kind open, level none",
           results and all(r["kind"] == "open" and r["level"] == "none" for r in results))
    stdout = p.stdout.decode()
    expect("unknown: GitHub annotations are warnings only",
           "::warning " in stdout and "::error" not in stdout and "::notice" not in stdout)
    issues = json.loads(files["gitlab-cq"])
    expect("unknown: GitLab issues are major", issues and
           all(i["severity"] == "major" for i in issues))
    expect("unknown: the summary says unknown", "unknown" in files["markdown"].splitlines()[1])


def test_many(tmp):
    """Forty failing top claims: ten error annotations, the tenth summarising thirty-one more;
    the log group and SARIF keep every one; Markdown cuts its lists with a count."""
    folder = os.path.join(tmp, "many")
    os.makedirs(folder)
    lines = []
    for k in range(40):
        lines.append(f'evidence E{k} "Test {k}" {{ kind: test result: fail }}')
        lines.append(f'claim G{k} "Claim {k}" {{ supported_by: E{k} }}')
    write(os.path.join(folder, "many.assure"), "\n".join(lines) + "\n")
    p = run(["prove"] + AT + ["--format", "github"] + outputs(folder) + ["many.assure"], folder)
    stdout = p.stdout.decode()
    errors = [ln for ln in stdout.splitlines() if ln.startswith("::error")]
    expect("many: exit code 5", p.returncode == 5, p.returncode)
    expect("many: ten error annotations", len(errors) == 10, len(errors))
    expect("many: the tenth summarises the other 31", errors and "31 more" in errors[-1],
           errors[-1:] if errors else "")
    expect("many: the log lists all 40", stdout.count("assure: error ") == 40)
    files = read_outputs(folder)
    valid("many", files)
    expect("many: SARIF has all 40 root causes",
           len(json.loads(files["sarif"])["runs"][0]["results"]) == 40)
    expect("many: Markdown cuts the table with a count", "… and 20 more" in files["markdown"])


def test_escaping(tmp):
    """Titles and paths with XML, Markdown and workflow-command specials survive every format."""
    folder = os.path.join(tmp, "esc", "we,ird: dir")
    os.makedirs(folder)
    title = "Fifty % done, <really> & 'quoted': yes|no"
    write(os.path.join(folder, "a,b:c.assure"),
          f'evidence E "e" {{ kind: test result: fail }}\nclaim G "{title}" {{ supported_by: E }}\n')
    out = os.path.join(tmp, "esc-out")
    os.makedirs(out)
    p = run(["prove"] + AT + ["--format", "github"] + outputs(out) + ["a,b:c.assure"], folder)
    files = read_outputs(out)
    valid("escaping", files)
    stdout = p.stdout.decode()
    first = [ln for ln in stdout.splitlines() if ln.startswith("::error")][0]
    expect("escaping: the file property has , and : encoded",
           "file=a%2Cb%3Ac.assure,line=1," in first, first)
    junit = ET.fromstring(files["junit"].encode())
    failure = next(junit.iter("failure"))
    expect("escaping: the JUnit message keeps the title", title in failure.get("message"),
           failure.get("message"))
    uri = json.loads(files["sarif"])["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"]["artifactLocation"]["uri"]
    expect("escaping: the SARIF uri is percent-encoded", "%2C" in uri and " " not in uri, uri)
    expect("escaping: the Markdown table cell escapes |", "yes\\|no" in files["markdown"])


def test_paths(tmp):
    """In a git repository, paths are relative to its top folder wherever assure runs."""
    repo = os.path.join(tmp, "repo")
    case = os.path.join(repo, "cases", "one")
    os.makedirs(case)
    subprocess.run(["git", "init", "-q", repo], check=True)
    write(os.path.join(case, "c.assure"),
          'evidence E "e" { kind: test result: fail }\nclaim G "g" { supported_by: E }\n')
    uris = []
    for cwd, arg in ((repo, "cases/one/c.assure"), (case, "c.assure"),
                     (os.path.join(repo, "cases"), "one/../one/c.assure")):
        out = os.path.join(tmp, "paths-out")
        os.makedirs(out, exist_ok=True)
        run(["prove"] + AT + ["--sarif", os.path.join(out, "p.sarif")] + [arg], cwd)
        doc = json.loads(read(os.path.join(out, "p.sarif")))
        uris.append(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
                    ["artifactLocation"]["uri"])
    expect("paths: relative to the repository's top from any folder",
           uris == ["cases/one/c.assure"] * 3, uris)


def test_writing(tmp):
    """Refused and unwritable outputs (exit 2, the others written), --force, re-runs."""
    folder = os.path.join(tmp, "write")
    os.makedirs(folder)
    write(os.path.join(folder, "c.assure"),
          'evidence E "e" { kind: test result: pass }\nclaim G "g" { supported_by: E }\n')
    base = ["prove"] + AT + ["c.assure"]
    p = run(base + ["--junit", "missing/j.xml", "--sarif", "s.sarif"], folder)
    expect("write: a missing folder is E0612, exit 2", p.returncode == 2 and
           b"E0612" in p.stderr, p.stderr[:300])
    expect("write: the other output is written all the same",
           os.path.exists(os.path.join(folder, "s.sarif")))
    write(os.path.join(folder, "notes.md"), "my notes\n")
    p = run(base + ["--markdown", "notes.md"], folder)
    expect("write: a file assure did not write is refused (E0611, exit 2)",
           p.returncode == 2 and b"E0611" in p.stderr and
           read(os.path.join(folder, "notes.md")) == b"my notes\n")
    p = run(base + ["--markdown", "notes.md", "--force"], folder)
    expect("write: --force replaces it", p.returncode == 0 and
           read(os.path.join(folder, "notes.md")).startswith(b"<!-- assure-markdown"))
    p = run(base + ["--sarif", "notes.md"], folder)
    expect("write: a Markdown summary is not taken for a SARIF report",
           p.returncode == 2 and b"E0611" in p.stderr)
    p = run(base + ["--junit", "c.assure", "--force"], folder)
    expect("write: a case file is never an output, even with --force (E0610)",
           p.returncode == 2 and b"E0610" in p.stderr and
           read(os.path.join(folder, "c.assure")).startswith(b"evidence"))
    os.symlink("notes.md", os.path.join(folder, "link.xml"))
    p = run(base + ["--junit", "link.xml"], folder)
    expect("write: never through a symbolic link (E0609)", p.returncode == 2 and
           b"E0609" in p.stderr)
    for k in range(2):
        p = run(base + ["--gitlab-cq", "gl.json", "--junit", "j.xml"], folder)
        expect(f"write: run {k + 1} writes its own files again", p.returncode == 0,
               p.stderr[:300])
    expect("write: no issue is []", read(os.path.join(folder, "gl.json")) == b"[]\n")
    os.chmod(folder, 0o500)
    try:
        if not os.access(folder, os.W_OK):  # root can write anyway
            p = run(base + ["--junit", "j2.xml"], folder)
            expect("write: an unwritable folder is exit 2", p.returncode == 2, p.returncode)
    finally:
        os.chmod(folder, 0o700)


def test_input_errors(tmp):
    """A case with errors (exit 1) and an unreadable lockfile still give every file, with the
    errors."""
    folder = os.path.join(tmp, "errors")
    os.makedirs(folder)
    write(os.path.join(folder, "bad.assure"), 'claim G "g" { supported_by: E_nowhere }\n')
    p = run(["prove"] + AT + ["--format", "github"] + outputs(folder) + ["bad.assure"], folder)
    files = read_outputs(folder)
    expect("input errors: exit 1", p.returncode == 1, p.returncode)
    valid("input errors", files)
    results = json.loads(files["sarif"])["runs"][0]["results"]
    expect("input errors: SARIF carries E0201 at its line",
           any(r["ruleId"] == "E0201" and r["locations"][0]["physicalLocation"]["region"]
               ["startLine"] == 1 for r in results))
    expect("input errors: a GitHub error annotation", b"::error file=bad.assure,line=1" in p.stdout)
    shutil.rmtree(folder)
    os.makedirs(folder)
    write(os.path.join(folder, "ok.assure"), 'claim G "g" { undeveloped }\n')
    p = run(["impact"] + AT + ["--since", "none.lock"] + outputs(folder) + ["ok.assure"], folder)
    files = read_outputs(folder)
    expect("input errors: impact with no lockfile exits 1", p.returncode == 1, p.returncode)
    valid("lockfile missing", files)
    expect("input errors: SARIF carries E0604", '"E0604"' in files["sarif"])


def test_impact(tmp):
    """impact --since on a copy of the ship example: nothing changed passes the gate, a failed
    campaign fails it with the plan."""
    src = os.path.join(ROOT, "examples", "autonomous-ship")
    case = copy_case(src, os.path.join(tmp, "ship"), tracked_files(src))
    files = ["navigation.assure", "perception.assure"]
    p = run(["lock"] + AT + files, case)
    expect("impact: lock written", p.returncode == 0, p.stderr[:300])
    out = os.path.join(tmp, "impact-out")
    os.makedirs(out)
    p = run(["impact"] + AT + ["--since", "assure.lock", "--format", "github"] + outputs(out) +
            files, case)
    got = read_outputs(out)
    valid("impact unchanged", got)
    junit = ET.fromstring(got["junit"].encode())
    gate = [c for c in junit.iter("testcase") if c.get("name") == "gate"]
    expect("impact: nothing changed passes the gate", p.returncode == 0 and gate and
           len(list(gate[0])) == 1, p.stdout[-300:])
    text = read(os.path.join(case, "perception.assure")).decode()
    start = text.index("evidence E_fog_sea")
    end = text.index("result: pass", start)
    write(os.path.join(case, "perception.assure"),
          text[:end] + "result: fail" + text[end + len("result: pass"):])
    p = run(["impact"] + AT + ["--since", "assure.lock", "--format", "github"] + outputs(out) +
            files, case)
    got = read_outputs(out)
    valid("impact lost", got)
    junit = ET.fromstring(got["junit"].encode())
    gate = [c for c in junit.iter("testcase") if c.get("name") == "gate"][0]
    expect("impact: a failed campaign fails the gate (exit 5, <failure>)",
           p.returncode == 5 and gate.find("failure") is not None, p.returncode)
    expect("impact: the summary has the lost claims and the plan",
           "### Lost claims" in got["markdown"] and "### Re-verification plan" in got["markdown"])
    expect("impact: the SARIF names the lost top claim",
           "support_lost" in got["sarif"] and "ship.navigation.G_safe" in got["sarif"])


def main():
    global ASSURE, ROOT
    ASSURE, ROOT = arguments()
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_cases_agree, test_unknown, test_many, test_escaping, test_paths,
                     test_writing, test_input_errors, test_impact):
            test(tmp)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
