#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What assure reads and writes, and what it accepts on the command line (issue 13, items 8-10).

- Artifacts are regular files: a device, a FIFO or /dev/stdin never hangs a command and makes
  the evidence invalid; an artifact outside the case's folder is warned about (W0105) or, with
  --strict-artifacts, an error (E0613).
- Command-line values: dates are real days in 1900..9999 everywhere a date is taken; an empty
  path is an error; conflicting --change specs are an error; a REGION is one region.
- --trace and lock never destroy or follow: only listed files are replaced, never through a
  symlink, never the case's own files.

Every case runs on a copy of examples/autonomous-ship (its tracked files only) in a temp dir.

  test_files.py --assure BIN --root REPO
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import FAILS, arguments, copy_case, expect, finish, read, tracked_files, write  # noqa: E402,F401
ROOT = ""
ASSURE = ""
AT = ["--at", "2026-11-23"]
CASE = ["navigation.assure", "perception.assure"]


def run(args, cwd, timeout=60, stdin=subprocess.DEVNULL):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    try:
        return subprocess.run([ASSURE] + args, cwd=cwd, env=env, stdin=stdin,
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([ASSURE] + args, -999, b"", b"TIMEOUT")


def show(p):
    return (f"(exit {p.returncode}, stdout: {p.stdout.decode('utf-8', 'replace')[:500]!r}, "
            f"stderr: {p.stderr.decode('utf-8', 'replace')[:700]!r})")


def coded(p, code, exit_code):
    return p.returncode == exit_code and f"[{code}]".encode() in p.stderr and \
        b"internal error" not in p.stderr


def copy_example(dest):
    """The example's tracked files only (harness.copy_case)."""
    src = os.path.join(ROOT, "examples", "autonomous-ship")
    return copy_case(src, dest, tracked_files(src))


def main():
    global ROOT, ASSURE
    ASSURE, ROOT = arguments()
    tmp = tempfile.mkdtemp(prefix="assure-files-")
    try:
        artifacts(tmp)
        dates_and_options(tmp)
        changes(tmp)
        traces(tmp)
        locks(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


# ---- 9. Artifacts are regular files ------------------------------------------------------
def artifacts(tmp):
    d = os.path.join(tmp, "art")
    os.makedirs(d)
    os.mkfifo(os.path.join(d, "fifo"))
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    cases = {
        "zero": ('"/dev/zero"', "character device"),
        "urandom": ('"/dev/urandom"', "character device"),
        "null": (f'"/dev/null" sha256 "{empty}"', "character device"),
        "fifo": ('"fifo"', "FIFO"),
        "stdin": ('"/dev/stdin"', "not a regular file"),
        "folder": ('"."', "is a directory"),
    }
    for name, (decl, reason) in cases.items():
        write(os.path.join(d, f"{name}.assure"),
              f"module {name}\nartifact a {decl}\n"
              f'evidence E "e" {{ result: pass artifacts: a }}\n'
              f'claim G "g" {{ supported_by: E }}\n')
        for cmd in (["prove"], ["explain"], ["lock", "-o", f"{name}.lock"], ["impact", "--change",
                                                                           f"fail:{name}.E"]):
            argv = [cmd[0], f"{name}.assure"] + (["G"] if cmd[0] == "explain" else []) + \
                cmd[1:] + AT
            # /dev/stdin: a pipe that nobody writes to and nobody closes would hang a reader.
            stdin = subprocess.PIPE if name == "stdin" else subprocess.DEVNULL
            p = run(argv, d, timeout=30, stdin=stdin)
            ok = p.returncode != -999 and p.returncode in (0, 5) and b"internal error" not in p.stderr
            if cmd[0] in ("prove", "explain"):
                ok = ok and p.returncode == 5 and reason.encode() in p.stdout
            expect(f"artifact {name}: {cmd[0]} ends, evidence invalid ({reason})", ok, show(p))
    p = run(["prove", "null.assure", "--format", "json"] + AT, d)
    j = json.loads(p.stdout or b"{}")
    expect("artifact /dev/null pinned to the empty hash is not valid evidence",
           p.returncode == 5 and j.get("top_claims", [{}])[0].get("verdict") == "unsupported",
           show(p))

    # Outside the case's folder: a warning, or with --strict-artifacts an error.
    case = copy_example(os.path.join(tmp, "outside"))
    os.makedirs(os.path.join(tmp, "shared"))
    write(os.path.join(tmp, "shared", "r.csv"), "x\n")
    write(os.path.join(case, "extra.assure"),
          'module extra\nartifact far "../shared/r.csv"\nartifact near "reports/held-out-harbours.md"\n'
          'evidence E "e" { result: pass artifacts: far, near }\n'
          'claim G "g" { supported_by: E }\n')
    p = run(["prove", "extra.assure"] + AT, case)
    err = p.stderr.decode()
    expect("outside artifact: W0105 at the path, the inside one not reported",
           p.returncode == 5 and "warning[W0105]" in err and "extra.assure:2:" in err and
           "`extra.far`" in err and "extra.near" not in err, show(p))
    p = run(["prove", "extra.assure", "--strict-artifacts"] + AT, case)
    expect("outside artifact with --strict-artifacts: E0613, exit 1, nothing proved",
           coded(p, "E0613", 1) and p.stdout == b"", show(p))
    for cmd in (["lock", "extra.assure"], ["impact", "extra.assure", "--change", "fail:E"],
                ["explain", "extra.assure", "G"]):
        p = run(cmd + ["--strict-artifacts"] + AT, case)
        expect(f"--strict-artifacts is honoured by {cmd[0]}", coded(p, "E0613", 1), show(p))
    # A symlink inside the folder that leads outside it counts as outside.
    os.symlink(os.path.join(tmp, "shared"), os.path.join(case, "linked"))
    write(os.path.join(case, "extra.assure"),
          'module extra\nartifact far "linked/r.csv"\n'
          'evidence E "e" { result: pass artifacts: far }\n'
          'claim G "g" { supported_by: E }\n')
    p = run(["prove", "extra.assure"] + AT, case)
    expect("an artifact reached through a symlink that leads outside: W0105",
           "warning[W0105]" in p.stderr.decode(), show(p))
    p = run(["prove"] + CASE + AT, case)
    expect("the shipped example has no artifact outside its folder",
           p.returncode == 0 and b"W0105" not in p.stderr, show(p))
    # Pinned artifacts keep their bytes on every checkout (.gitattributes).
    try:
        attrs = subprocess.run(
            ["git", "check-attr", "text", "--", "examples/autonomous-ship/evidence/fog-chamber-summary.csv",
             "examples/identity-verification/results/segment-metrics.csv", "tests/golden/x.csv",
             "examples/autonomous-ship/navigation.assure"],
            cwd=ROOT, capture_output=True, check=True).stdout.decode().splitlines()
    except (OSError, subprocess.CalledProcessError):
        attrs = None
    if attrs is not None:
        expect(".gitattributes: artifacts and fixtures are -text, case files text (LF)",
               [a.rsplit(": ", 1)[1] for a in attrs] == ["unset", "unset", "unset", "set"], attrs)


# ---- 8. Command-line values ------------------------------------------------------------
def dates_and_options(tmp):
    case = copy_example(os.path.join(tmp, "dates"))
    bad = ["-001-01-01", "0000-01-01", "1899-12-31", "2023-02-29", "2026-04-31", "2026-13-01",
           " 999-01-01", "+999-01-01", "10000-01-01", "2026-1-1"]
    for cmd in (["prove"] + CASE, ["explain"] + CASE + ["G_safe"], ["lock"] + CASE,
                ["impact"] + CASE + ["--change", "fail:E_fog_chamber"]):
        for date in bad:
            p = run(cmd + ["--at", date], case)
            expect(f"{cmd[0]} --at {date!r}: E0608, exit 2", coded(p, "E0608", 2), show(p))
        p = run(cmd + ["--at", "2024-02-29"], case)
        expect(f"{cmd[0]} --at 2024-02-29 (a leap day) is a date",
               p.returncode in (0, 5) and b"E0608" not in p.stderr, show(p))
    for date in ["0000-01-01", "-001-01-01", "2023-02-29", "1899-12-31"]:
        p = run(["impact"] + CASE + ["--change", f"expire:E_fog_chamber={date}"] + AT, case)
        expect(f"expire:E_fog_chamber={date}: E0605, exit 2", coded(p, "E0605", 2), show(p))
    for opt in (["prove"] + CASE + ["--trace", ""], ["lock"] + CASE + ["-o", ""],
                ["impact"] + CASE + ["--since", ""], ["prove"] + CASE + ["--at", ""],
                ["prove"] + CASE + ["--stdlib", ""], ["check", "-I", ""] + CASE):
        p = run(opt + (AT if "--at" not in opt and opt[0] != "check" else []), case)
        expect(f"an empty value: {' '.join(repr(a) for a in opt[-2:])}: E0608, exit 2",
               coded(p, "E0608", 2), show(p))
    expect("the refused runs wrote nothing",
           not any(n in ("manifest.json", "result.json") or n.startswith(".assure")
                   for n in os.listdir(case)), sorted(os.listdir(case)))


def changes(tmp):
    case = copy_example(os.path.join(tmp, "changes"))
    before = {n: read(os.path.join(case, n)) for n in CASE}

    def impact(*specs):
        argv = ["impact"] + CASE + AT
        for s in specs:
            argv += ["--change", s]
        return run(argv, case)

    for specs in [("fail:E_fog_chamber", "pending:E_fog_chamber"),
                  ("fail:E_fog_chamber", "pending:ship.perception.E_fog_chamber"),
                  ("expire:E_fog_chamber=2026-01-01", "expire:E_fog_chamber=2026-02-01"),
                  ("severity:H_collision=critical", "severity:H_collision=marginal"),
                  ("odd:ShipOdd=Ocean where visibility >= 100",
                   "odd:ShipOdd=Ocean where visibility >= 300")]:
        p = impact(*specs)
        expect(f"conflicting {specs}: E0607, exit 2", coded(p, "E0607", 2) and p.stdout == b"",
               show(p))
    p = impact("fail:E_fog_chamber", "fail:ship.perception.E_fog_chamber")
    expect("the same change twice (short and qualified name) counts once",
           p.returncode == 5 and b"E0607" not in p.stderr, show(p))
    p = impact("fail:E_fog_chamber", "expire:E_fog_chamber=2026-01-01", "withdraw:E_fog_chamber")
    expect("changes to different aspects of one piece of evidence combine",
           p.returncode == 5 and b"E0607" not in p.stderr, show(p))

    for spec in ['odd:ShipOdd=Ocean where visibility >= 100\nclaim Evil "e" { undeveloped }',
                 'odd:ShipOdd=Ocean where visibility >= 100 } claim Evil "e" { undeveloped',
                 'scope:G_safe=Ocean supported_by: E_fog_chamber',
                 'odd:ShipOdd=Ocean where visibility >= 100 // and sea_state <= 5',
                 'odd:ShipOdd=Ocean /* x */ where visibility >= 100',
                 'severity:H_collision=critical } claim Evil "e" { undeveloped',
                 'likelihood:H_collision=remote\n  mitigates: H_odd_exit']:
        p = impact(spec)
        expect(f"REGION/VALUE injection {spec[:40]!r}...: E0605, exit 2, nothing proved",
               coded(p, "E0605", 2) and p.stdout == b"" and b"<command line>" in p.stderr,
               show(p))
    p = impact("odd:ShipOdd=Ocean where visibility >= 100 and sea_state <= 5")
    expect("a real region is still a change", p.returncode in (0, 5) and b"E06" not in p.stderr,
           show(p))
    expect("no --change touched the case's files",
           all(read(os.path.join(case, n)) == before[n] for n in CASE))


# ---- 10. --trace never destroys or follows --------------------------------------------
def traces(tmp):
    case = copy_example(os.path.join(tmp, "traces"))

    def prove(trace):
        return run(["prove"] + CASE + AT + ["--trace", trace], case)

    t = os.path.join(case, "t")
    p = prove("t")
    manifest = json.loads(read(os.path.join(t, "manifest.json")))
    listed = manifest.get("files", [])
    on_disk = sorted(os.path.relpath(os.path.join(dp, f), t)
                     for dp, _, fs in os.walk(t) for f in fs if f != "manifest.json")
    expect("trace: the manifest lists exactly the files written",
           p.returncode == 0 and sorted(listed) == on_disk and "result.json" in listed, show(p))
    # The user's own files in the trace's folders survive a second run.
    write(os.path.join(t, "notes.txt"), "mine")
    write(os.path.join(t, "obligations", "my-query.smt2"), "mine")
    os.makedirs(os.path.join(t, "rules"), exist_ok=True)
    write(os.path.join(t, "rules", "mine.txt"), "mine")
    p = prove("t")
    expect("trace again: the user's files in and beside obligations/ and rules/ are kept",
           p.returncode == 0 and read(os.path.join(t, "notes.txt")) == b"mine" and
           read(os.path.join(t, "obligations", "my-query.smt2")) == b"mine" and
           read(os.path.join(t, "rules", "mine.txt")) == b"mine", show(p))
    # A folder that only claims to be a trace: its files are not deleted.
    f = os.path.join(case, "fake")
    os.makedirs(os.path.join(f, "obligations"))
    write(os.path.join(f, "manifest.json"), '{"format": "assure-trace"}')
    write(os.path.join(f, "obligations", "thesis.tex"), "years of work")
    p = prove("fake")
    expect("a forged manifest deletes nothing it does not list",
           read(os.path.join(f, "obligations", "thesis.tex")) == b"years of work", show(p))
    # Listed paths that leave the folder are never deleted.
    g = os.path.join(case, "forged")
    os.makedirs(g)
    write(os.path.join(case, "precious.txt"), "keep")
    write(os.path.join(g, "manifest.json"),
          json.dumps({"format": "assure-trace", "files": ["../precious.txt", "/etc/hostname",
                                                          "../navigation.assure"]}))
    p = prove("forged")
    expect("manifest entries outside the folder are ignored",
           read(os.path.join(case, "precious.txt")) == b"keep" and
           read(os.path.join(case, "navigation.assure")) == read(
               os.path.join(ROOT, "examples", "autonomous-ship", "navigation.assure")), show(p))
    # result.json a symlink: refused, its target not created.
    s = os.path.join(case, "sym")
    assert prove("sym").returncode == 0
    os.remove(os.path.join(s, "result.json"))
    victim = os.path.join(tmp, "victim.json")
    os.symlink(victim, os.path.join(s, "result.json"))
    p = prove("sym")
    expect("trace: result.json a symlink: E0609, exit 2, not followed",
           coded(p, "E0609", 2) and not os.path.exists(victim) and
           os.path.islink(os.path.join(s, "result.json")), show(p))
    # obligations/ a symlink to another folder: nothing written there.
    o = os.path.join(case, "symdir")
    assert prove("symdir").returncode == 0
    shutil.rmtree(os.path.join(o, "obligations"))
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(elsewhere)
    os.symlink(elsewhere, os.path.join(o, "obligations"))
    p = prove("symdir")
    expect("trace: obligations/ a symlink: E0609, nothing written through it",
           coded(p, "E0609", 2) and os.listdir(elsewhere) == [], show(p))
    # manifest.json a symlink to a trace elsewhere: not read as ours.
    m = os.path.join(case, "symman")
    os.makedirs(m)
    os.symlink(os.path.join(t, "manifest.json"), os.path.join(m, "manifest.json"))
    write(os.path.join(m, "result.json"), "mine")
    p = prove("symman")
    expect("trace: a symlinked manifest.json is not ours: E0611, nothing touched",
           coded(p, "E0611", 2) and read(os.path.join(m, "result.json")) == b"mine", show(p))
    # The trace folder itself a symlink.
    os.symlink(t, os.path.join(case, "tlink"))
    p = prove("tlink")
    expect("trace: the folder given as a symlink: E0609", coded(p, "E0609", 2), show(p))
    p = prove("tlink/")
    expect("trace: ... also with a trailing slash", coded(p, "E0609", 2), show(p))
    p = prove("new/deeper/trace")
    expect("trace: missing parent folders are created, as before",
           p.returncode == 0 and os.path.isfile(os.path.join(case, "new", "deeper", "trace",
                                                             "manifest.json")), show(p))
    # The case's own folder.
    p = prove(".")
    expect("trace into the case's folder: E0611, nothing written",
           coded(p, "E0611", 2) and not os.path.exists(os.path.join(case, "result.json")), show(p))
    # A case file hard-linked into a trace under a listed name is never replaced.
    h = os.path.join(case, "hard")
    assert prove("hard").returncode == 0
    os.remove(os.path.join(h, "result.json"))
    os.link(os.path.join(case, "navigation.assure"), os.path.join(h, "result.json"))
    nav = read(os.path.join(case, "navigation.assure"))
    p = prove("hard")
    expect("trace: a listed file that is one of the case's files: E0610, untouched",
           coded(p, "E0610", 2) and read(os.path.join(case, "navigation.assure")) == nav, show(p))


# ---- 10. lock never destroys or follows ------------------------------------------------
def locks(tmp):
    case = copy_example(os.path.join(tmp, "locks"))

    def lock(*extra):
        return run(["lock"] + CASE + AT + list(extra), case)

    write(os.path.join(case, "X.tmp"), "mine")
    os.symlink(os.path.join(tmp, "victim-tmp"), os.path.join(case, "X.lock.tmp"))
    p = lock("-o", "X")
    expect("lock -o X: a user's X.tmp is left alone",
           p.returncode == 0 and read(os.path.join(case, "X.tmp")) == b"mine", show(p))
    p = lock("-o", "X.lock")
    expect("lock -o X.lock: a symlinked X.lock.tmp is not followed",
           p.returncode == 0 and not os.path.exists(os.path.join(tmp, "victim-tmp")) and
           os.path.islink(os.path.join(case, "X.lock.tmp")), show(p))
    expect("lock: no temporary file left behind",
           not any(n.startswith(".assure-") for n in os.listdir(case)), sorted(os.listdir(case)))
    os.symlink(os.path.join(tmp, "victim-lock"), os.path.join(case, "link.lock"))
    for extra in ([], ["--force"]):
        p = lock("-o", "link.lock", *extra)
        expect(f"lock -o a symlink {extra}: E0609, exit 2, not followed",
               coded(p, "E0609", 2) and not os.path.exists(os.path.join(tmp, "victim-lock")),
               show(p))
    os.mkfifo(os.path.join(case, "fifo.lock"))
    p = lock("-o", "fifo.lock", "--force")
    expect("lock -o a FIFO: E0609, exit 2, no hang", coded(p, "E0609", 2), show(p))
    nav = read(os.path.join(case, "navigation.assure"))
    csv = read(os.path.join(case, "evidence", "fog-chamber-summary.csv"))
    for target in ("navigation.assure", "./perception.assure", "evidence/fog-chamber-summary.csv",
                   os.path.join(ROOT, "stdlib", "risk.assure")):
        p = lock("-o", target, "--force")
        expect(f"lock -o {target} --force: the case's own file: E0610, exit 2",
               coded(p, "E0610", 2), show(p))
    os.link(os.path.join(case, "perception.assure"), os.path.join(case, "hard.lock"))
    p = lock("-o", "hard.lock", "--force")
    expect("lock -o a hard link to a case file --force: E0610", coded(p, "E0610", 2), show(p))
    expect("the case's files are untouched",
           read(os.path.join(case, "navigation.assure")) == nav and
           read(os.path.join(case, "evidence", "fog-chamber-summary.csv")) == csv)
    p = run(["impact"] + CASE + AT + ["--since", "fifo.lock"], case)
    expect("impact --since a FIFO: E0604, exit 1, no hang", coded(p, "E0604", 1), show(p))
    p = run(["impact"] + CASE + AT + ["--since", "/dev/zero"], case)
    expect("impact --since /dev/zero: E0604, exit 1, no hang", coded(p, "E0604", 1), show(p))


if __name__ == "__main__":
    sys.exit(main())
