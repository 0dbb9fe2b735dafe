#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure lock` and `assure impact --since LOCKFILE` as a user relies on them (docs/impact.md).

Works on copies of examples/autonomous-ship, judged as of 2026-11-23 throughout: the lockfile's
contents and determinism, its refusal to overwrite what is not its own, and what `impact
--since` reports after layout edits, a retrained artifact, its re-verification, a failed result,
the passing of the lock's holds-until date and hypothetical changes on top; bad lockfiles.

  test_lock.py --assure BIN --root REPO
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from harness import FAILS, arguments, copy_case, expect, finish, read, tracked_files, write  # noqa: E402,F401
ROOT = ""
ASSURE = ""
AT = ["--at", "2026-11-23"]
CASE = ["navigation.assure", "perception.assure"]
FOG_SHA = "5077338d89cbecc2839ac8c3efa894cd9e28bd2d8de3a8a7756a5a18dcf28665"


def run(args, cwd, timeout=120):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    return subprocess.run([ASSURE] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def show(p):
    """Exit code and the start of both streams, for a failure message."""
    return (f"(exit {p.returncode}, stdout: {p.stdout.decode('utf-8', 'replace')[:600]!r}, "
            f"stderr: {p.stderr.decode('utf-8', 'replace')[:600]!r})")


def sha256_file(path):
    return hashlib.sha256(read(path)).hexdigest()


def lock(d, *extra, files=None):
    return run(["lock"] + (files or CASE) + AT + list(extra), d)


def impact(d, *extra, lockfile="assure.lock", at=AT):
    return run(["impact"] + CASE + ["--since", lockfile] + at + list(extra), d)


def sections(text):
    """{section: [lines]} of a lockfile, with "" for the lines before the first section and
    "digest" for the closing digest line."""
    out = {"": [], "digest": []}
    current = ""
    for line in text.splitlines():
        if line.startswith("digest sha256 "):
            out["digest"].append(line)
        elif line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            out[current] = []
        elif line and not line.startswith("#"):
            out[current].append(line)
    return out


def entry(lines, name):
    """The fields of the line of `name` in a section keyed by name (split at two spaces)."""
    for line in lines:
        fields = line.split("  ")
        if fields[0] == name:
            return fields
    return None


def fingerprint(text):
    """docs/impact.md: SHA-256 of the text with comments dropped and white space runs made one
    space (string literals are content)."""
    out = []
    pending_space = False
    for m in re.finditer(r'"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*.*?\*/|\s+|.', text, re.S):
        tok = m.group(0)
        if tok.startswith("//") or tok.startswith("/*") or tok.isspace():
            pending_space = True
            continue
        if pending_space and out:
            out.append(" ")
        pending_space = False
        out.append(tok)
    return hashlib.sha256("".join(out).encode()).hexdigest()


def declaration(text, head):
    """The text of the declaration starting with `head` up to its closing brace at column 1."""
    start = text.index(head)
    end = text.index("\n}", start) + 2
    return text[start:end]


def section_lines(out, title):
    """The indented lines under the report heading starting with `title`."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(title):
            body = []
            for l in lines[i + 1:]:
                if not l.startswith("  "):
                    break
                body.append(l.strip())
            return body
    return None


def main():
    global ROOT, ASSURE
    ASSURE, ROOT = arguments()
    tmp = tempfile.mkdtemp(prefix="assure-lock-")
    example = os.path.join(ROOT, "examples", "autonomous-ship")
    tracked = tracked_files(example)

    def fresh(name):
        """A copy of the example's own files (harness.copy_case)."""
        return copy_case(example, os.path.join(tmp, name), tracked)

    # ---- a. The lockfile: contents, same bytes on every run, from any working directory ----
    a = fresh("a")
    lock_path = os.path.join(a, "assure.lock")
    p = lock(a)
    expect("lock: exit 0 and writes assure.lock next to the case",
           p.returncode == 0 and os.path.isfile(lock_path) and b"wrote assure.lock" in p.stdout,
           show(p))
    reference = read(lock_path)
    text = reference.decode()
    sec = sections(text)
    lines = text.splitlines()
    expect("lock: header", lines[0].startswith("# assure lockfile") and
           "format assure-lock 2" in sec[""], lines[:4])
    body = reference[:reference.rindex(b"digest sha256 ")]
    expect("lock: the last line is the SHA-256 of everything before it",
           sec["digest"] == ["digest sha256 " + hashlib.sha256(body).hexdigest()] and
           lines[-1] == sec["digest"][0] and reference.endswith(b"\n"), sec["digest"])
    expect("lock: case lines as given, in order",
           [l for l in sec[""] if l.startswith("case ")] ==
           ["case navigation.assure", "case perception.assure"], sec[""])
    expect("lock: holds-until is E_in_service's valid_until", "holds-until 2027-03-31" in sec[""],
           sec[""])
    expect("lock: sections in order",
           [l for l in lines if l.startswith("[")] ==
           ["[files]", "[artifacts]", "[declarations]", "[evidence]", "[claims]"])
    want_files = sorted([f"{sha256_file(os.path.join(a, f))}  {f}" for f in CASE] +
                        [f"{sha256_file(os.path.join(ROOT, 'stdlib', 'risk.assure'))}  "
                         "stdlib/risk.assure"], key=lambda l: l.split("  ")[1])
    expect("lock: [files] has the sha256 of each case file and stdlib module",
           sec["files"] == want_files, sec["files"])
    arts = sec["artifacts"]
    ok = len(arts) == 13
    for line in arts:
        name, sha, path = line.split("  ")
        ok = ok and os.path.isfile(os.path.join(a, path)) and \
            sha256_file(os.path.join(a, path)) == sha
    expect("lock: [artifacts] has 13 artifacts, each path relative to the lockfile with the "
           "file's sha256", ok, arts)
    expect("lock: [artifacts] line of fog_chamber",
           entry(arts, "ship.perception.fog_chamber") ==
           ["ship.perception.fog_chamber", FOG_SHA, "evidence/fog-chamber-summary.csv"])
    expect("lock: [artifacts] sorted by name", arts == sorted(arts))
    decls = sec["declarations"]
    perception = read(os.path.join(a, "perception.assure")).decode()
    fog_decl = declaration(perception, 'evidence E_fog_chamber "')
    expect("lock: E_fog_chamber's fingerprint is the SHA-256 of its normalised text",
           entry(decls, "ship.perception.E_fog_chamber") ==
           ["ship.perception.E_fog_chamber", "evidence", fingerprint(fog_decl)],
           (entry(decls, "ship.perception.E_fog_chamber"), fingerprint(fog_decl)))
    expect("lock: [declarations] of the case's own modules only, sorted",
           decls == sorted(decls) and all(l.startswith("ship.") for l in decls) and
           entry(decls, "ship.navigation.G_safe")[1] == "claim" and
           entry(decls, "ship.perception.ShipOdd")[1] == "odd", decls[:3])
    expect("lock: [evidence] 12 pieces, all valid and passed",
           len(sec["evidence"]) == 12 and
           all(l.split("  ")[1:] == ["valid", "pass"] for l in sec["evidence"]), sec["evidence"])
    expect("lock: [claims] one top claim, G_safe, supported",
           [l for l in sec["claims"] if l.endswith("  top")] ==
           ["ship.navigation.G_safe  supported  top"] and len(sec["claims"]) == 14, sec["claims"])
    expect("lock: no temporary file left",
           not [n for n in os.listdir(a) if n.endswith(".tmp") or n.startswith(".assure-")])

    os.utime(lock_path, ns=(1_000_000_000, 1_000_000_000))
    inode = os.stat(lock_path).st_ino
    p = lock(a)
    st = os.stat(lock_path)
    expect("lock again: exit 0, says up to date",
           p.returncode == 0 and b"assure.lock is up to date" in p.stdout, show(p))
    expect("lock again: same bytes, file not rewritten",
           read(lock_path) == reference and st.st_mtime_ns == 1_000_000_000 and
           st.st_ino == inode)
    p = run(["lock", "a/navigation.assure", "a/perception.assure"] + AT, tmp)
    expect("lock from the parent folder: up to date, same bytes",
           p.returncode == 0 and b"a/assure.lock is up to date" in p.stdout and
           read(lock_path) == reference, show(p))
    p = run(["lock", os.path.join(a, "navigation.assure"), os.path.join(a, "perception.assure")]
            + AT, os.path.join(a, "evidence"))
    expect("lock with absolute paths from a subfolder: up to date",
           p.returncode == 0 and b"is up to date" in p.stdout and read(lock_path) == reference,
           show(p))
    os.remove(lock_path)
    p = run(["lock", "../navigation.assure", "../perception.assure"] + AT,
            os.path.join(a, "reports"))
    expect("lock written from a subfolder: the same bytes",
           p.returncode == 0 and read(lock_path) == reference, show(p))
    p = run(["lock"] + CASE + ["--at", "2026-11-24"], a)
    expect("lock again a day later: up to date (no run date recorded)",
           p.returncode == 0 and b"is up to date" in p.stdout and read(lock_path) == reference,
           show(p))

    # ---- b. Refusals: only this case's own lockfile is overwritten -------------------------
    b = fresh("b")
    b_lock = os.path.join(b, "assure.lock")
    write(b_lock, "hello\n")
    p = lock(b)
    err = p.stderr.decode()
    expect("refuse: a foreign file is not overwritten (exit 2)",
           p.returncode == 2 and read(b_lock) == b"hello\n" and
           "not an assure lockfile" in err and "--force" in err, show(p))
    expect("refuse: no temporary file left",
           not [n for n in os.listdir(b) if n.endswith(".tmp") or n.startswith(".assure-")])
    p = lock(b, "--force")
    expect("refuse: --force overwrites a foreign file",
           p.returncode == 0 and read(b_lock) == reference, show(p))
    p = lock(b, files=["navigation.assure"])
    expect("refuse: the lock of another case (other case files) is not overwritten",
           p.returncode == 2 and read(b_lock) == reference and
           "another case" in p.stderr.decode(), show(p))
    p = lock(b, files=["perception.assure", "navigation.assure"])
    expect("the same files in another order are the same case: its lock is rewritten",
           p.returncode == 0 and b"wrote assure.lock" in p.stdout, show(p))
    assert lock(b, "--force").returncode == 0 and read(b_lock) == reference
    p = lock(b, "-o", "nav.lock", files=["navigation.assure"])
    nav_lock = read(os.path.join(b, "nav.lock")).decode()
    expect("refuse: -o writes elsewhere and leaves assure.lock alone",
           p.returncode == 0 and read(b_lock) == reference and
           [l for l in sections(nav_lock)[""] if l.startswith("case ")] ==
           ["case navigation.assure"], show(p))
    expect("-o: navigation.assure alone locks the imported perception.assure too",
           sections(nav_lock)["files"] == sections(text)["files"])
    p = lock(b, "--force", files=["navigation.assure"])
    expect("refuse: --force overwrites another case's lock",
           p.returncode == 0 and read(b_lock).decode() == nav_lock, show(p))
    p = lock(b)
    expect("refuse: ... and then the two-file case's lock is refused in turn",
           p.returncode == 2 and read(b_lock).decode() == nav_lock, show(p))
    damaged = reference.replace(b"format assure-lock 2", b"format assure-lock 9")
    write(b_lock, damaged)
    p = lock(b)
    expect("refuse: a lockfile this assure cannot read is not overwritten",
           p.returncode == 2 and read(b_lock) == damaged, show(p))
    p = lock(b, "--force")
    expect("refuse: ... unless --force", p.returncode == 0 and read(b_lock) == reference, show(p))
    os.mkdir(os.path.join(b, "locks"))
    p = lock(b, "-o", "locks/ship.lock")
    sub = read(os.path.join(b, "locks", "ship.lock")).decode()
    sub_sec = sections(sub)
    expect("-o in a subfolder: paths relative to the lockfile's folder",
           p.returncode == 0 and "case ../navigation.assure" in sub_sec[""] and
           entry(sub_sec["artifacts"], "ship.perception.fog_chamber")[2] ==
           "../evidence/fog-chamber-summary.csv" and
           any(l.endswith("  ../perception.assure") for l in sub_sec["files"]) and
           any(l.endswith("  stdlib/risk.assure") for l in sub_sec["files"]), show(p))
    p = impact(b, lockfile="locks/ship.lock")
    expect("-o in a subfolder: impact --since it finds no change",
           p.returncode == 0 and b"0 changes since locks/ship.lock" in p.stdout, show(p))
    p = lock(b, "-o", "no-such-folder/x.lock")
    expect("-o into a missing folder: E0612, exit 2, nothing written",
           p.returncode == 2 and b"[E0612]" in p.stderr and
           not os.path.exists(os.path.join(b, "no-such-folder")), show(p))
    bad = os.path.join(tmp, "bad")
    os.mkdir(bad)
    write(os.path.join(bad, "bad.assure"), 'claim G "g" { supported_by: E_nope }\n')
    p = run(["lock", "bad.assure"] + AT, bad)
    expect("lock: a case with errors exits 1 and writes nothing",
           p.returncode == 1 and os.listdir(bad) == ["bad.assure"], show(p))

    # ---- c. A layout-only edit: the file's hash changes, the declaration's fingerprint not --
    c = fresh("c")
    assert lock(c).returncode == 0
    c_perception = os.path.join(c, "perception.assure")
    src = read(c_perception).decode()
    old = declaration(src, 'evidence E_fog_chamber "')
    body = old.split("\n")
    relaid = "\n".join([body[0].replace("evidence E_fog_chamber", "evidence    E_fog_chamber")] +
                       ["\t\t" + l.strip() + "   " for l in body[1:-1]] +
                       ["    // the chamber is in Ålesund", body[-1]])
    relaid = relaid.replace("kind: test", "kind: /* as planned */ test", 1)
    write(c_perception, src.replace(old, "// FC-3 was re-run in 2026.\n" + relaid))
    expect("layout edit: the test really edited the text", read(c_perception).decode() != src)
    p = lock(c, "-o", "after.lock")
    after = sections(read(os.path.join(c, "after.lock")).decode())
    before = sections(read(os.path.join(c, "assure.lock")).decode())
    expect("layout edit: [files] hash of perception.assure changes",
           [l for l in before["files"] if l.endswith("  perception.assure")] !=
           [l for l in after["files"] if l.endswith("  perception.assure")], show(p))
    expect("layout edit: E_fog_chamber's fingerprint does not change",
           entry(before["declarations"], "ship.perception.E_fog_chamber") ==
           entry(after["declarations"], "ship.perception.E_fog_chamber") and
           before["declarations"] == after["declarations"])
    p = impact(c)
    out = p.stdout.decode()
    expect("layout edit: impact --since reports the file change only, exit 0",
           p.returncode == 0 and "1 change since assure.lock" in out and
           "  file perception.assure changed\n" in out and "E_fog_chamber changed" not in out and
           "0 of 1 top claim lose support" in out, show(p))

    # ---- d. A retrained artifact --------------------------------------------------------
    d = fresh("d")
    assert lock(d).returncode == 0
    d_lock = read(os.path.join(d, "assure.lock"))
    csv = os.path.join(d, "evidence", "fog-chamber-summary.csv")
    with open(csv, "ab") as f:
        f.write(b"\n")
    new_sha = sha256_file(csv)
    p = impact(d)
    out = p.stdout.decode()
    expect("retrained: exit 5", p.returncode == 5, show(p))
    expect("retrained: the artifact change is reported",
           "1 change since assure.lock" in out and
           f"  artifact ship.perception.fog_chamber: contents changed (sha256 {FOG_SHA[:12]}... "
           f"then, {new_sha[:12]}... now)\n" in out, out[:600])
    invalidated = section_lines(out, "directly invalidated evidence")
    expect("retrained: E_fog_chamber directly invalidated, and only it",
           out.count("directly invalidated evidence (1, 1 of them relied on)") == 1 and invalidated is not None and
           len(invalidated) == 1 and "ship.perception.E_fog_chamber:" in invalidated[0] and
           new_sha in invalidated[0], invalidated)
    expect("retrained: top claim G_safe lost", "top ship.navigation.G_safe is now unsupported" in out,
           out[:800])
    plan = [l for l in (section_lines(out, "minimum re-verification set") or []) if "(cost" in l]
    expect("retrained: the plan is exactly E_fog_chamber",
           len(plan) == 1 and "ship.perception.E_fog_chamber  (cost 1)" in plan[0], plan)
    p = impact(d, "--format", "json")
    try:
        j = json.loads(p.stdout)
    except ValueError:
        j = {}
    expect("retrained JSON: exit 5, exit_code 5", p.returncode == 5 and j.get("exit_code") == 5,
           show(p))
    expect("retrained JSON: since has the lockfile and the artifact change",
           j.get("since", {}).get("lockfile") == "assure.lock" and
           [{k: v for k, v in c.items() if k != "text"} for c in j["since"]["changes"]] ==
           [{"what": "artifact", "how": "changed", "name": "ship.perception.fog_chamber",
             "sha256_then": FOG_SHA, "sha256_now": new_sha}], j.get("since"))
    expect("retrained JSON: invalidated, lost and plan",
           [e["evidence"] for e in j.get("invalidated", [])] == ["ship.perception.E_fog_chamber"]
           and [c["claim"] for c in j.get("lost", []) if c["top"]] == ["ship.navigation.G_safe"]
           and [e["evidence"] for e in j.get("plan", {}).get("evidence", [])] ==
           ["ship.perception.E_fog_chamber"] and j["plan"]["verified"] is True,
           {k: j.get(k) for k in ("invalidated", "plan")})
    expect("retrained: the lockfile is untouched by impact", read(os.path.join(d, "assure.lock"))
           == d_lock)

    # ---- j. Determinism ----------------------------------------------------------------
    runs = [impact(d) for _ in range(2)] + [impact(d, "--format", "json") for _ in range(2)]
    expect("impact --since: the same stdout on every run",
           runs[0].stdout == runs[1].stdout and runs[2].stdout == runs[3].stdout and
           runs[0].stderr == runs[1].stderr)

    # ---- e. Re-verified: the new hash recorded in the case -----------------------------
    d_perception = os.path.join(d, "perception.assure")
    src = read(d_perception).decode()
    assert src.count(FOG_SHA) == 1
    write(d_perception, src.replace(FOG_SHA, new_sha))
    p = impact(d)
    out = p.stdout.decode()
    expect("re-verified: exit 0, nothing lost",
           p.returncode == 0 and "directly invalidated evidence (0, 0 of them relied on)" in out and
           "0 of 1 top claim lose support" in out, show(p))
    expect("re-verified: the file, the artifact and its declaration are reported changed",
           "3 changes since assure.lock" in out and "  file perception.assure changed\n" in out
           and "  artifact ship.perception.fog_chamber: contents changed" in out and
           "  artifact ship.perception.fog_chamber: text changed\n" in out, out[:800])
    j = json.loads(impact(d, "--format", "json").stdout)
    expect("re-verified JSON: the declaration change has its kind",
           {"what": "declaration", "how": "changed", "name": "ship.perception.fog_chamber",
            "kind": "artifact"} in
           [{k: v for k, v in c.items() if k != "text"} for c in j["since"]["changes"]],
           j["since"]["changes"])
    p = lock(d)
    new_lock = read(os.path.join(d, "assure.lock")).decode()
    expect("re-verified: lock rewrites its own lockfile",
           p.returncode == 0 and b"wrote assure.lock" in p.stdout and
           entry(sections(new_lock)["artifacts"], "ship.perception.fog_chamber")[1] == new_sha,
           show(p))
    p = impact(d)
    expect("re-verified: impact --since the new lock reports 0 changes, exit 0",
           p.returncode == 0 and b"0 changes since assure.lock" in p.stdout, show(p))

    # ---- f. A failed result written in the case ------------------------------------------
    f = fresh("f")
    assert lock(f).returncode == 0
    f_perception = os.path.join(f, "perception.assure")
    src = read(f_perception).decode()
    old = declaration(src, 'evidence E_fog_chamber "')
    write(f_perception, src.replace(old, old.replace("result: pass", "result: fail")))
    p = impact(f)
    out = p.stdout.decode()
    expect("result: fail: exit 5", p.returncode == 5, show(p))
    expect("result: fail: the declaration and the file are reported changed",
           "2 changes since assure.lock" in out and "  file perception.assure changed\n" in out
           and "  evidence ship.perception.E_fog_chamber: text changed\n" in out, out[:600])
    invalidated = section_lines(out, "directly invalidated evidence") or []
    expect("result: fail: E_fog_chamber invalidated, G_safe lost",
           len(invalidated) == 1 and "ship.perception.E_fog_chamber: result: fail" in invalidated[0]
           and "top ship.navigation.G_safe is now unsupported" in out, out[:800])

    # ---- g. The date past holds-until ---------------------------------------------------
    p = impact(a, at=["--at", "2027-03-31"])
    expect("holds-until: on the day itself nothing has changed",
           p.returncode == 0 and b"0 changes since" in p.stdout and b"past" not in p.stdout,
           show(p))
    p = impact(a, at=["--at", "2027-04-01"])
    out = p.stdout.decode()
    invalidated = section_lines(out, "directly invalidated evidence") or []
    expect("holds-until: the day after, the expiry is reported and E_in_service invalidated",
           p.returncode == 5 and "1 change since assure.lock" in out and
           "  the date is past 2027-03-31" in out and len(invalidated) == 1 and
           "ship.perception.E_in_service: expired on 2027-03-31" in invalidated[0], show(p))
    j = json.loads(impact(a, "--format", "json", at=["--at", "2027-04-01"]).stdout)
    expect("holds-until JSON: an expiry change",
           [(c["what"], c["name"]) for c in j["since"]["changes"]] == [("expiry", "2027-03-31")],
           j["since"])

    # ---- g2. Evidence dated in the future: the lock holds until the day before its date ---
    g2 = os.path.join(tmp, "g2")
    os.makedirs(g2)
    write(os.path.join(g2, "future.assure"),
          b'evidence E_now "Harbour trials" { kind: test result: pass valid_until: 2027-06-30 }\n'
          b'evidence E_next "Sea trials" { kind: test result: pass date: 2027-01-05 }\n'
          b'claim G "The ferry is safe" { supported_by: E_now, E_next }\n')
    p = run(["lock", "future.assure", "--at", "2026-11-23"], g2)
    text = read(os.path.join(g2, "assure.lock")).decode() if p.returncode == 0 else ""
    expect("future-dated evidence: holds-until is the day before it becomes valid",
           "holds-until 2027-01-04" in text, show(p))
    p = run(["impact", "future.assure", "--since", "assure.lock", "--at", "2027-01-05"], g2)
    expect("future-dated evidence: on its date the lock's date is past, nothing is lost",
           p.returncode == 0 and b"the date is past 2027-01-04" in p.stdout, show(p))

    # ---- h. --since and --change together ------------------------------------------------
    h = fresh("h")
    assert lock(h).returncode == 0
    with open(os.path.join(h, "evidence", "fog-chamber-summary.csv"), "ab") as fh:
        fh.write(b"x")
    p = impact(h, "--change", "fail:E_encounter_sim")
    out = p.stdout.decode()
    invalidated = section_lines(out, "directly invalidated evidence") or []
    expect("--since with --change: both kinds of change reported",
           p.returncode == 5 and "1 change since assure.lock, and 1 hypothetical change" in out
           and "  artifact ship.perception.fog_chamber: contents changed" in out and
           "  fail:E_encounter_sim\n" in out, show(p))
    expect("--since with --change: both pieces of evidence invalidated",
           len(invalidated) == 2 and "ship.navigation.E_encounter_sim: result: fail" in invalidated[0]
           and "ship.perception.E_fog_chamber:" in invalidated[1], invalidated)
    j = json.loads(impact(h, "--change", "fail:E_encounter_sim", "--format", "json").stdout)
    expect("--since with --change JSON: changes and since.changes",
           j["changes"] == ["fail:E_encounter_sim"] and
           [c["what"] for c in j["since"]["changes"]] == ["artifact"] and
           sorted(e["evidence"] for e in j["plan"]["evidence"]) ==
           ["ship.navigation.E_encounter_sim", "ship.perception.E_fog_chamber"], j.get("plan"))

    # ---- i. Bad lockfiles -----------------------------------------------------------------
    def bad_lock(name, data):
        write(os.path.join(a, name), data)
        return impact(a, lockfile=name)

    p = impact(a, lockfile="nope.lock")
    expect("bad lock: a missing lockfile exits 1 with E0604",
           p.returncode == 1 and b"nope.lock" in p.stderr and b"[E0604]" in p.stderr and
           p.stdout == b"", show(p))
    p = impact(a, "--format", "json", lockfile="nope.lock")
    doc = json.loads(p.stdout) if p.stdout.startswith(b"{") else {}
    expect("bad lock, --format json: the input-errors document with E0604",
           p.returncode == 1 and doc.get("result") == "input_errors" and
           [d["code"] for d in doc.get("diagnostics", [])] == ["E0604"], show(p))
    p = bad_lock("garbage.lock", "garbage\n")
    expect("bad lock: garbage exits 1 with E0601 at line 1",
           p.returncode == 1 and p.stderr.startswith(b"error[E0601]: ") and
           b"--> garbage.lock:1:1" in p.stderr and p.stdout == b"", show(p))
    p = bad_lock("empty.lock", "")
    expect("bad lock: an empty file exits 1 with E0601 at line 1",
           p.returncode == 1 and p.stderr.startswith(b"error[E0601]: ") and
           b"--> empty.lock:1:1" in p.stderr, show(p))
    ref_lines = reference.decode().split("\n")
    last = len(reference.decode().splitlines())
    n = next(i for i, l in enumerate(ref_lines) if l.startswith("ship.perception.fog_chamber  "))
    for label, damage in [("cut short", lambda l: l[:40]),
                          ("path missing", lambda l: l.rsplit("  ", 1)[0]),
                          ("hash damaged", lambda l: l.replace(FOG_SHA, "z" + FOG_SHA[1:])),
                          ("hash replaced", lambda l: l.replace(FOG_SHA, "0" * 64))]:
        damaged = list(ref_lines)
        damaged[n] = damage(damaged[n])
        p = bad_lock("damaged.lock", "\n".join(damaged))
        expect(f"bad lock: an [artifacts] line {label}: E0602 at the digest line, exit 1",
               p.returncode == 1 and p.stderr.startswith(b"error[E0602]: ") and
               f"--> damaged.lock:{last}:1".encode() in p.stderr and p.stdout == b"", show(p))
    # The hole this closes: a lock cut at a line boundary used to read as a case without the
    # lines cut, and the gate passed. Cut at every line boundary and inside the last lines.
    cuts = [i + 1 for i, ch in enumerate(reference) if ch == ord("\n")][:-1]
    cuts += list(range(len(reference) - 90, len(reference) - 1))
    passed = [c for c in cuts if bad_lock("cut.lock", reference[:c]).returncode != 1]
    expect(f"bad lock: cut at each of {len(cuts)} places (line boundaries included): exit 1",
           not passed, passed[:5])
    cut = reference[:reference.index(b"[claims]")]
    cut_lines = cut.count(b"\n")
    p = bad_lock("noclaims.lock", cut)
    expect("bad lock: a lock cut short before [claims] exits 1 with E0602 at its last line",
           p.returncode == 1 and p.stderr.startswith(b"error[E0602]: ") and
           f"--> noclaims.lock:{cut_lines}:".encode() in p.stderr and
           b"regenerate it with `assure lock`" in p.stderr, show(p))
    claims_cut = reference[:reference.index(b"ship.perception.G_unlit")]
    p = bad_lock("someclaims.lock", claims_cut)
    expect("bad lock: a lock cut inside [claims] at a line boundary exits 1 (E0602)",
           p.returncode == 1 and p.stderr.startswith(b"error[E0602]: "), show(p))
    # An edit sealed again passes the digest (it is not a signature), and is then read line by
    # line: a malformed line is E0601 at that line.
    resealed = list(ref_lines)
    resealed[n] = resealed[n].rsplit("  ", 1)[0]
    body = "\n".join(resealed[:-2]) + "\n"
    forged = body + "digest sha256 " + hashlib.sha256(body.encode()).hexdigest() + "\n"
    p = bad_lock("forged.lock", forged)
    expect(f"bad lock: a malformed line under a matching digest: E0601 at line {n + 1}",
           p.returncode == 1 and p.stderr.startswith(b"error[E0601]: ") and
           f"--> forged.lock:{n + 1}:1".encode() in p.stderr, show(p))
    # A name that is not UTF-8 under a matching digest: E0601 at its line, and the JSON report
    # never crashes on it (it used to throw from the JSON writer: exit 4).
    claim_at = next(i for i, x in enumerate(ref_lines) if x.startswith("ship.perception.G_"))
    raw_lines = reference.split(b"\n")
    raw_lines[claim_at] = raw_lines[claim_at].replace(b"ship.perception.G_", b"ship.perception.\xffG_", 1)
    body = b"\n".join(raw_lines[:-2]) + b"\n"
    latin = body + b"digest sha256 " + hashlib.sha256(body).hexdigest().encode() + b"\n"
    p = bad_lock("latin.lock", latin)
    expect(f"bad lock: a line that is not UTF-8 under a matching digest: E0601 at line "
           f"{claim_at + 1}", p.returncode == 1 and p.stderr.startswith(b"error[E0601]: ") and
           f"--> latin.lock:{claim_at + 1}:1".encode() in p.stderr, show(p))
    v3 = reference.replace(b"format assure-lock 2", b"format assure-lock 3")
    fmt_line = reference[:reference.index(b"format assure-lock")].count(b"\n") + 1
    p = bad_lock("v3.lock", v3)
    expect(f"bad lock: another format version: E0603 at line {fmt_line}",
           p.returncode == 1 and p.stderr.startswith(b"error[E0603]: ") and
           f"--> v3.lock:{fmt_line}:1".encode() in p.stderr and b"assure-lock 3" in p.stderr,
           show(p))
    v1 = reference.replace(b"format assure-lock 2", b"format assure-lock 1")
    v1 = v1[:v1.rindex(b"\ndigest sha256 ")]
    p = bad_lock("v1.lock", v1)
    expect("bad lock: a version 1 lock (no digest): E0603, regenerate with `assure lock`",
           p.returncode == 1 and p.stderr.startswith(b"error[E0603]: ") and
           b"regenerate it with `assure lock`" in p.stderr, show(p))
    p = bad_lock("nofmt.lock", reference.replace(b"format assure-lock 2\n", b""))
    expect("bad lock: no format line exits 1",
           p.returncode == 1 and p.stderr.startswith(b"error[E06"), show(p))
    crlf = reference.replace(b"\n", b"\r\n")
    p = bad_lock("crlf.lock", crlf)
    expect("a lock whose line ends became CR LF still reads (0 changes)",
           p.returncode == 0 and b"0 changes since crlf.lock" in p.stdout, show(p))
    p = impact(a, "--diagnostics", "json", lockfile="cut.lock")
    expect("bad lock: --diagnostics json gives the code and the line",
           p.returncode == 1 and b'"code": "E0602"' in p.stderr, show(p))

    # ---- --require-artifacts: evidence resting on no pinned file is recorded invalid -------
    ferry = os.path.join(tmp, "ferry")
    shutil.copytree(os.path.join(ROOT, "tests", "golden", "prove", "require-artifacts"), ferry)
    p = run(["lock", "ferry.assure", "-o", "plain.lock"] + AT, ferry)
    plain = sections(read(os.path.join(ferry, "plain.lock")).decode()) if p.returncode == 0 \
        else {"evidence": [], "claims": []}
    expect("lock without --require-artifacts: evidence on no artifact is valid",
           p.returncode == 0 and "ferry.E_review  valid  pass" in plain["evidence"] and
           "ferry.G_top  supported  top" in plain["claims"], show(p))
    p = run(["lock", "ferry.assure", "-o", "required.lock", "--require-artifacts"] + AT, ferry)
    req = sections(read(os.path.join(ferry, "required.lock")).decode()) if p.returncode == 0 \
        else {"evidence": [], "claims": []}
    expect("lock --require-artifacts: E_review and E_watch invalid, G_top unsupported",
           p.returncode == 0 and "ferry.E_review  invalid  pass" in req["evidence"] and
           "ferry.E_watch  invalid  pass" in req["evidence"] and
           "ferry.E_fog  valid  pass" in req["evidence"] and
           "ferry.G_top  unsupported  top" in req["claims"], show(p))
    p = run(["impact", "ferry.assure", "--since", "required.lock", "--require-artifacts"] + AT,
            ferry)
    expect("impact --since a --require-artifacts lock, with the option: nothing is lost",
           p.returncode == 0 and b"0 changes since required.lock" in p.stdout, show(p))
    p = run(["impact", "ferry.assure", "--since", "plain.lock", "--require-artifacts"] + AT,
            ferry)
    expect("impact --since a plain lock, with --require-artifacts: E_review and G_mounting lost",
           p.returncode == 5 and b"ferry.E_review" in p.stdout and
           b"ferry.G_mounting" in p.stdout and b"rests on no pinned artifact" in p.stdout,
           show(p))

    # ---- A folder where a lockfile is expected -------------------------------------------
    os.mkdir(os.path.join(a, "dir.lock"))
    p = impact(a, lockfile="dir.lock")
    expect("--since a folder exits 1 with E0604, not an internal error",
           p.returncode == 1 and b"is a directory" in p.stderr and b"[E0604]" in p.stderr and
           b"internal error" not in p.stderr, show(p))
    p = lock(a, "-o", "dir.lock")
    expect("lock -o a folder: E0609, exit 2, the folder left alone",
           p.returncode == 2 and b"[E0609]" in p.stderr and b"internal error" not in p.stderr and
           os.path.isdir(os.path.join(a, "dir.lock")), show(p))

    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
