#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Verdicts that must not lie (issue 13): nothing proves vacuously, and a file reads the same
whatever its line endings and byte-order mark.

  test_trust.py --assure BIN --root REPO
"""
import os
import subprocess
import sys
import tempfile

from harness import FAILS, arguments, expect, finish  # noqa: E402,F401


def main():
    assure, root = arguments()
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
    tmp = tempfile.mkdtemp(prefix="assure-trust-")

    def run(argv):
        return subprocess.run([assure] + argv, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=120)

    def write(name, data):
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(data)
        return name

    # ---- line endings: LF, CRLF and CR-only, with and without a UTF-8 BOM, read the same.
    # The case opens with a comment (a CR-only file used to be one long comment) and has an
    # error on line 6, so the location shows that lines are counted alike.
    lines = ["// The refund agent's case", "/* a block", "   comment */",
             'evidence E "Trials" { kind: test result: pass }',
             'claim G "Refunds are right" { supported_by: E }',
             'claim H "Also right" { supported_by: X }']
    good = lines[:5]
    variants = {}
    for eol_name, eol in (("lf", b"\n"), ("crlf", b"\r\n"), ("cr", b"\r")):
        for bom_name, bom in (("", b""), ("-bom", b"\xef\xbb\xbf")):
            tag = eol_name + bom_name
            variants[tag] = (
                write(f"bad-{tag}.assure", bom + eol.join(x.encode() for x in lines) + eol),
                write(f"good-{tag}.assure", bom + eol.join(x.encode() for x in good) + eol))

    def normal(proc, name):
        # Output with the file's name replaced, so that variants compare equal.
        out = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        out = out.replace(name, "CASE").replace(name[:-len(".assure")], "MODULE")
        return proc.returncode, out

    ref_bad = ref_good = None
    for tag, (bad, good_name) in variants.items():
        b = normal(run(["check", bad]), bad)
        g = normal(run(["prove", good_name, "--at", "2026-06-15"]), good_name)
        expect(f"line endings {tag}: the error is on line 6", b[0] == 1 and "CASE:6:" in b[1],
               repr(b))
        expect(f"line endings {tag}: the good case proves its top claim",
               g[0] == 0 and "1 top claim: 1 supported" in g[1], repr(g))
        if ref_bad is None:
            ref_bad, ref_good = b, g
        expect(f"line endings {tag}: same check output as LF", b == ref_bad)
        expect(f"line endings {tag}: same proof as LF", g == ref_good)

    # ---- nothing proves vacuously: no top claim is an error (E0406, exit 1), for every
    # command that proves; `check` accepts a library module.
    empties = {
        "empty": b"",
        "comment-cr": b"// only a comment\r// and another\r",
        "module-only": b"module lib\n",
        "scales-only": b"module levels\nscale Level \"Risk level\" { low < high }\n",
    }
    for tag, data in empties.items():
        name = write(f"{tag}.assure", data)
        for cmd in (["prove"], ["prove", "--format", "json"], ["explain", "G"],
                    ["lock", "-o", f"{tag}.lock"]):
            p = run([cmd[0], name] + cmd[1:] + ["--at", "2026-06-15"])
            err = p.stderr.decode("utf-8", "replace")
            expect(f"no top claim ({tag}): {' '.join(cmd)} fails with E0406",
                   p.returncode == 1 and "[E0406]" in err, f"exit {p.returncode}: {err[:300]!r}")
        p = run(["impact", name, "--change", "fail:E", "--at", "2026-06-15"])
        expect(f"no top claim ({tag}): impact does not pass", p.returncode != 0,
               f"exit {p.returncode}")
        p = run(["check", name])
        expect(f"no top claim ({tag}): check accepts it", p.returncode == 0,
               p.stderr.decode("utf-8", "replace")[:300])

    # ---- an artifact outside the case's folder: check warns (W0105) as prove does, exit 0.
    os.makedirs(os.path.join(tmp, "case"), exist_ok=True)
    write("outside.txt", b"report\n")
    write("case/out.assure", b'evidence E "Trials" { kind: test result: pass artifacts: rep }\n'
          b'artifact rep "../outside.txt"\n'
          b'claim G "Right" { supported_by: E }\n')
    for cmd in (["check"], ["prove", "--at", "2026-06-15"]):
        p = run([cmd[0], "case/out.assure"] + cmd[1:])
        err = p.stderr.decode("utf-8", "replace")
        expect(f"artifact outside the case folder: {cmd[0]} warns W0105",
               "[W0105]" in err and p.returncode in (0, 5), f"exit {p.returncode}: {err[:300]!r}")

    # ---- case files are read only from regular files: a FIFO or a device never hangs.
    fifo = os.path.join(tmp, "fifo.assure")
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero", "/dev/urandom"):
        for cmd in ("check", "prove"):
            try:
                p = run([cmd, path])
                err = p.stderr.decode("utf-8", "replace")
                expect(f"case file {path}: {cmd} refuses it (E0001)",
                       p.returncode == 1 and "[E0001]" in err and "regular file" in err,
                       f"exit {p.returncode}: {err[:300]!r}")
            except subprocess.TimeoutExpired:
                expect(f"case file {path}: {cmd} refuses it (E0001)", False, "hung")

    return finish()


if __name__ == "__main__":
    sys.exit(main())
