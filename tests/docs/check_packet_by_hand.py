#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/packet.md's commands run as written: its first `sh` block (keygen, export, verify of
the ship example) and its "Verifying by hand" block (the signature with openssl, every file with
sha256sum, the proof re-run, every SMT-LIB file with z3), in a temporary folder with a copy of
the example and the assure under test first on PATH. Every z3 answer must be the one recorded,
and the key fingerprint the one the signature file names.

  check_packet_by_hand.py --assure BIN --root REPO
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def sh_blocks(text):
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    text = open(os.path.join(root, "docs", "packet.md"), encoding="utf-8").read()
    by_hand = text[text.index("## Verifying by hand"):]
    blocks = [sh_blocks(text)[0], sh_blocks(by_hand)[0]]
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(os.path.abspath(args.assure)) + os.pathsep + env["PATH"]
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    failures = []
    with tempfile.TemporaryDirectory(prefix="assure-packet-doc-") as tmp:
        shutil.copytree(os.path.join(root, "examples", "autonomous-ship"),
                        os.path.join(tmp, "examples", "autonomous-ship"))
        outs = []
        for k, block in enumerate(blocks):
            proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block], cwd=tmp,
                                  env=env, capture_output=True, text=True, timeout=600)
            outs.append(proc.stdout)
            if proc.returncode != 0:
                failures.append("block %d exits %d:\n%s%s" % (k + 1, proc.returncode,
                                                              proc.stdout[-2000:],
                                                              proc.stderr[-2000:]))
        if not failures:
            out = outs[1]
            if "Signature Verified Successfully" not in out:
                failures.append("openssl did not verify the signature:\n" + out[-2000:])
            sig = json.load(open(os.path.join(tmp, "check", "assure-packet", "manifest.sig")))
            fingerprint = sig["key"].split(":", 1)[1]
            if not re.search(r"^%s  -$" % fingerprint, out, re.M):
                failures.append("the key's SHA-256 is not manifest.sig's key " + sig["key"])
            answers = re.findall(r"^(\S+): recorded (\w+), z3 says (\w+)", out, re.M)
            manifest = json.load(open(os.path.join(tmp, "check", "assure-packet", "trace",
                                                   "manifest.json")))
            listed = len(manifest["obligations"]) + len(manifest["rules"])
            if len(answers) != listed or listed == 0:
                failures.append("%d z3 answers for %d files" % (len(answers), listed))
            for file, recorded, said in answers:
                if recorded in ("sat", "unsat") and said != recorded:
                    failures.append("%s: recorded %s, z3 says %s" % (file, recorded, said))
            if " OK" not in out or "FAILED" in out:
                failures.append("sha256sum --check did not pass every file")
    for f in failures:
        print("FAIL " + f)
    if not failures:
        print("ok   docs/packet.md: export, verify and the by-hand checks run as written")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
