#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure pin` and `assure pin --check` as a user and a CI gate rely on them (docs/pin.md).

Works on copies of examples/autonomous-ship, judged as of 2026-11-23: a regenerated report is
re-pinned by changing one hash string and no other byte; --check writes nothing and fails the
gate; a second run writes nothing; prove passes afterwards. Line endings, BOMs and permission
bits are kept; symlinked, read-only and changed case files, FIFOs, folders, missing files,
pattern artifacts and cases with errors are refused with coded errors.

  test_pin.py --assure BIN --root REPO
"""
import hashlib
import os
import re
import shutil
import stat
import subprocess
import tempfile

from harness import arguments, copy_case, expect, finish, read, tracked_files, write

ROOT = ""
ASSURE = ""
AT = ["--at", "2026-11-23"]
CASE = ["navigation.assure", "perception.assure"]
FOG = "evidence/fog-chamber-summary.csv"
FOG_SHA = "5077338d89cbecc2839ac8c3efa894cd9e28bd2d8de3a8a7756a5a18dcf28665"
DRILL = "reports/handover-drills-2025.csv"
DRILL_SHA = "7011fde537f268e1f2a9a7e12994d9a93723f89275dca4949fa443616d51d3ae"


def run(args, cwd, timeout=120):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    return subprocess.run([ASSURE] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def show(p):
    return (f"(exit {p.returncode}, stdout: {p.stdout.decode('utf-8', 'replace')[:800]!r}, "
            f"stderr: {p.stderr.decode('utf-8', 'replace')[:800]!r})")


def sha(path):
    return hashlib.sha256(read(path)).hexdigest()


def snapshot(folder):
    """{relative path: (bytes, mtime_ns, mode)} of every file below `folder` (links as links)."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for f in files:
            path = os.path.join(dirpath, f)
            st = os.lstat(path)
            data = os.readlink(path).encode() if os.path.islink(path) else (
                read(path) if stat.S_ISREG(st.st_mode) else b"")
            out[os.path.relpath(path, folder)] = (data, st.st_mtime_ns, stat.S_IMODE(st.st_mode))
    return out


def regenerate(folder, rel, extra=b"\n"):
    """The report `rel` as a pipeline would rewrite it; returns its new SHA-256. The default
    change (an empty line) leaves every value the case reads from the report as it was."""
    path = os.path.join(folder, rel)
    write(path, read(path) + extra)
    return sha(path)


def main():
    global ROOT, ASSURE
    ASSURE, ROOT = arguments()
    tmp = tempfile.mkdtemp(prefix="assure-pin-")
    example = os.path.join(ROOT, "examples", "autonomous-ship")
    tracked = tracked_files(example)

    def fresh(name):
        return copy_case(example, os.path.join(tmp, name), tracked)

    try:
        # ---- a. Up to date: nothing to do, nothing written ----------------------------------
        a = fresh("a")
        before = snapshot(a)
        p = run(["pin", "--check"] + CASE, a)
        expect("clean: pin --check exits 0 and prints no diff",
               p.returncode == 0 and b"---" not in p.stdout and
               b"all 13 artifacts are pinned and up to date" in p.stdout, show(p))
        p = run(["pin"] + CASE, a)
        expect("clean: pin exits 0 and says nothing was written",
               p.returncode == 0 and b"nothing written" in p.stdout and b"@@" not in p.stdout,
               show(p))
        expect("clean: no file touched (bytes, mtimes, modes)", snapshot(a) == before)

        # ---- b. A regenerated report: --check fails the gate, pin rewrites one string -------
        b = fresh("b")
        new_sha = regenerate(b, FOG)
        p = run(["prove"] + CASE + AT, b)
        expect("stale: prove fails before the pin", p.returncode == 5, show(p))
        before = snapshot(b)
        check = run(["pin", "--check"] + CASE, b)
        out = check.stdout.decode()
        expected_diff = ("--- a/perception.assure\n+++ b/perception.assure\n"
                         f"@@ -26,1 +26,1 @@\n-    sha256 \"{FOG_SHA}\"\n+    sha256 \"{new_sha}\"\n")
        expect("stale: pin --check exits 5", check.returncode == 5, show(check))
        expect("stale: pin --check prints the diff of what pin would change",
               out.startswith(expected_diff), show(check))
        expect("stale: pin --check summary",
               "1 artifact in 1 file is not pinned to the current contents of its file (1 stale)"
               in out and "12 are up to date" in out and "nothing written" in out, show(check))
        expect("stale: pin --check writes nothing (bytes, mtimes)", snapshot(b) == before)
        again = run(["pin", "--check"] + CASE, b)
        expect("stale: pin --check is deterministic",
               again.stdout == check.stdout and again.stderr == check.stderr)
        old_nav = read(os.path.join(b, "navigation.assure"))
        old_per = read(os.path.join(b, "perception.assure"))
        p = run(["pin"] + CASE, b)
        expect("stale: pin exits 0 and prints the same diff",
               p.returncode == 0 and p.stdout.decode().startswith(expected_diff), show(p))
        expect("stale: pin summary", b"pinned 1 artifact in 1 file; 12 were up to date" in p.stdout,
               show(p))
        new_per = read(os.path.join(b, "perception.assure"))
        expect("stale: only the hash string changed",
               new_per == old_per.replace(FOG_SHA.encode(), new_sha.encode()) and
               old_per.count(FOG_SHA.encode()) == 1)
        after = snapshot(b)
        expect("stale: the other case file is untouched",
               after["navigation.assure"] == before["navigation.assure"] and
               read(os.path.join(b, "navigation.assure")) == old_nav)
        expect("stale: no temporary file is left",
               set(after) == set(before), sorted(set(after) ^ set(before)))
        p = run(["pin"] + CASE, b)
        expect("stale: a second pin writes nothing",
               p.returncode == 0 and b"nothing written" in p.stdout and snapshot(b) == after,
               show(p))
        p = run(["pin", "--check"] + CASE, b)
        expect("stale: pin --check passes after the pin", p.returncode == 0, show(p))
        p = run(["prove"] + CASE + AT, b)
        expect("stale: prove passes after the pin", p.returncode == 0, show(p))
        # From another working folder, the paths as given.
        regenerate(b, FOG, b"once more\n")
        p = run(["pin", "--check", "b/perception.assure", "b/navigation.assure"], tmp)
        expect("paths: the diff names the file as given",
               p.returncode == 5 and p.stdout.startswith(b"--- a/b/perception.assure\n"), show(p))
        # Pinning a broken report records its hash, but the value is still read from it.
        p = run(["pin"] + CASE, b)
        expect("broken report: pin records its hash", p.returncode == 0, show(p))
        p = run(["prove"] + CASE + AT, b)
        expect("broken report: prove reads the pinned file and fails with the reader's error",
               p.returncode == 5 and b"ship.perception.E_fog_chamber: ship.perception.fog_chamber "
               b"(evidence/fog-chamber-summary.csv): csv \"recall\" row \"band\" = \"all\": "
               b"malformed CSV: line 7 has 1 field, the header (line 1) has 10" in p.stdout, show(p))

        # ---- c. A missing hash is added right after the path string ------------------------
        c = fresh("c")
        per = os.path.join(c, "perception.assure")
        text = read(per)
        stripped = text.replace(b'"\n    sha256 "' + FOG_SHA.encode() + b'"', b'"')
        assert stripped != text
        write(per, stripped)
        p = run(["pin"] + CASE, c)
        expect("add: pin exits 0, one hash added", p.returncode == 0 and
               b"pinned 1 artifact in 1 file" in p.stdout, show(p))
        expect("add: the hash follows the path string on its line",
               read(per) == text.replace(b'"\n    sha256 "' + FOG_SHA.encode(),
                                         b'" sha256 "' + FOG_SHA.encode()))
        expect("add: the diff shows the declaration's line",
               f"@@ -25,1 +25,1 @@\n-artifact fog_chamber \"{FOG}\"\n"
               f"+artifact fog_chamber \"{FOG}\" sha256 \"{FOG_SHA}\"\n" in p.stdout.decode(),
               show(p))

        # ---- d. CRLF line endings, a BOM and the file's mode are kept ----------------------
        d = fresh("d")
        per = os.path.join(d, "perception.assure")
        crlf = b"\xef\xbb\xbf" + read(per).replace(b"\n", b"\r\n")
        write(per, crlf)
        os.chmod(per, 0o640)
        new_sha = regenerate(d, FOG)
        p = run(["pin"] + CASE, d)
        expect("crlf: pin exits 0", p.returncode == 0, show(p))
        expect("crlf: BOM and CRLF kept, only the hash changed",
               read(per) == crlf.replace(FOG_SHA.encode(), new_sha.encode()))
        expect("crlf: the diff shows lines without their line endings",
               f"-    sha256 \"{FOG_SHA}\"\n+    sha256 \"{new_sha}\"\n" in p.stdout.decode(),
               show(p))
        expect("crlf: permission bits kept", stat.S_IMODE(os.stat(per).st_mode) == 0o640,
               oct(os.stat(per).st_mode))
        p = run(["prove"] + CASE + AT, d)
        expect("crlf: prove passes after the pin", p.returncode == 0, show(p))

        # ---- e. A case file that is a symlink is never written through ----------------------
        e = fresh("e")
        os.rename(os.path.join(e, "perception.assure"), os.path.join(e, "perception-real.assure"))
        os.symlink("perception-real.assure", os.path.join(e, "perception.assure"))
        regenerate(e, FOG)
        nav_sha = regenerate(e, DRILL)
        real_before = read(os.path.join(e, "perception-real.assure"))
        p = run(["pin", "--check"] + CASE, e)
        expect("symlink: pin --check reads through it (exit 5, both diffs)",
               p.returncode == 5 and p.stdout.count(b"--- a/") == 2 and b"E0609" not in p.stderr,
               show(p))
        p = run(["pin"] + CASE, e)
        expect("symlink: pin exits 2 with E0609 naming the link",
               p.returncode == 2 and b"error[E0609]" in p.stderr and
               b"`perception.assure` not written: it is a symbolic link" in p.stderr, show(p))
        expect("symlink: the link and its target are untouched",
               os.path.islink(os.path.join(e, "perception.assure")) and
               read(os.path.join(e, "perception-real.assure")) == real_before)
        expect("symlink: the other file was written, and the summary says which was not",
               nav_sha.encode() in read(os.path.join(e, "navigation.assure")) and
               b"pinned 1 artifact in 1 file (navigation.assure); not written: perception.assure "
               b"(1 artifact not pinned)" in p.stdout, show(p))
        expect("symlink: only the written file's diff is printed",
               p.stdout.count(b"--- a/") == 1 and b"--- a/navigation.assure" in p.stdout, show(p))

        # ---- f. Artifacts that are not regular files, or missing, are refused -------------
        f = fresh("f")
        fog = os.path.join(f, FOG)
        os.remove(fog)
        os.mkfifo(fog)
        before = snapshot(f)
        p = run(["pin", "--check"] + CASE, f, timeout=30)
        expect("fifo: pin --check does not hang, exits 5 with E0615",
               p.returncode == 5 and b"error[E0615]" in p.stderr and b"FIFO" in p.stderr, show(p))
        p = run(["pin"] + CASE, f, timeout=30)
        expect("fifo: pin exits 5, writes nothing",
               p.returncode == 5 and b"1 cannot be pinned" in p.stdout and snapshot(f) == before,
               show(p))
        os.remove(fog)
        os.mkdir(fog)
        p = run(["pin"] + CASE, f)
        expect("folder: refused with E0615", p.returncode == 5 and b"is a directory" in p.stderr,
               show(p))
        os.rmdir(fog)
        drill_sha = regenerate(f, DRILL)
        p = run(["pin"] + CASE, f)
        expect("missing: refused with E0615, the other artifact still pinned",
               p.returncode == 5 and b"does not exist" in p.stderr and
               b"E0615" in p.stderr and drill_sha.encode() in read(os.path.join(f, "navigation.assure")),
               show(p))
        expect("missing: the declaration keeps its old hash",
               FOG_SHA.encode() in read(os.path.join(f, "perception.assure")))

        # ---- g. A case with errors: nothing written ---------------------------------------
        g = fresh("g")
        regenerate(g, FOG)
        nav = os.path.join(g, "navigation.assure")
        write(nav, read(nav) + b"\nclaim broken \"x\" { supported_by: nowhere }\n")
        before = snapshot(g)
        p = run(["pin"] + CASE, g)
        expect("errors: pin exits 1 and writes nothing",
               p.returncode == 1 and b"E0201" in p.stderr and snapshot(g) == before, show(p))
        p = run(["pin", "--check"] + CASE, g)
        expect("errors: pin --check exits 1", p.returncode == 1, show(p))

        # ---- h. A read-only case file: a clear error, not written ---------------------------
        h = fresh("h")
        new_sha = regenerate(h, FOG)
        per = os.path.join(h, "perception.assure")
        os.chmod(per, 0o444)
        before = snapshot(h)
        p = run(["pin"] + CASE, h)
        expect("read-only: pin exits 2 with E0612 'is read-only'",
               p.returncode == 2 and b"error[E0612]" in p.stderr and b"is read-only" in p.stderr,
               show(p))
        expect("read-only: the file and its mode are untouched", snapshot(h) == before)

        # ---- i. An artifact declared in a pattern -----------------------------------------
        i = os.path.join(tmp, "i")
        os.makedirs(i)
        write(os.path.join(i, "a.txt"), "a\n")
        write(os.path.join(i, "b.txt"), "b\n")
        write(os.path.join(i, "case.assure"),
              "module m\npattern P(Parent: claim, F: text) {\n    artifact rep \"{F}\"\n"
              "    evidence E \"e\" { result: pass artifacts: rep }\n"
              "    strategy S \"s\" for Parent { supported_by: E }\n}\nclaim G \"g\" { }\n"
              "instance one = P(G, \"a.txt\")\ninstance two = P(G, \"b.txt\")\n")
        before = snapshot(i)
        p = run(["pin", "case.assure"], i)
        expect("pattern: refused once with E0616, nothing written",
               p.returncode == 5 and p.stderr.count(b"error[E0616]") == 1 and
               b"of pattern `m.P`" in p.stderr and snapshot(i) == before, show(p))

        # ---- j. The command line ----------------------------------------------------------
        p = run(["pin"], tmp)
        expect("usage: pin without files exits 2", p.returncode == 2, show(p))
        p = run(["--help"], tmp)
        expect("usage: --help lists pin and its exit codes",
               b"pin" in p.stdout and re.search(rb"pin --check: also some recorded hash", p.stdout),
               show(p))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    raise SystemExit(main())
