#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the assure examples of Markdown files.

Every fenced block whose info string is `assure` must be a complete file that checks clean:
`assure check` exits 0 and prints no `warning[` and no `error[` on stderr. A block whose info
string is `assure error=CODE` shows a mistake: the check must exit 1 and report `error[CODE]`.
A block whose info string is `assure prove` must check clean too, and its line
`// verdicts: G1=supported, G2=unsupported` must match what `assure prove --at 2026-06-15`
decides for those claims.
Each block is written to a folder of its own (so no block can import another) and checked
alone, with the repository's standard library.

  check_doc_examples.py --assure BIN [--root REPO] FILE.md...

Prints one line per block (`file:line: ok` or `file:line: FAIL ...`, line of the opening
fence) and a last line `N passed, M failed`; exits 1 if anything failed.
"""
import argparse
import os
import re
import shutil
import json
import subprocess
import sys
import tempfile

# An opening or closing fence: up to three spaces, then ``` or ~~~ (three or more).
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
ERROR_ATTR = re.compile(r"^error=([EW][0-9]{4})$")
TIMEOUT_SECONDS = 120


class Block:
    def __init__(self, path, line, info, text):
        self.path = path    # the Markdown file, as given
        self.line = line    # 1-based line of the opening fence
        self.info = info    # the info string, stripped
        self.text = text    # the block's content

    def where(self):
        return f"{self.path}:{self.line}"


def extract_blocks(path, text):
    """All fenced code blocks of a Markdown text, as (line, info, content), in order."""
    blocks = []
    lines = text.splitlines(keepends=True)
    idx = 0
    while idx < len(lines):
        m = FENCE.match(lines[idx].rstrip("\r\n"))
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            idx += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        start = idx
        body = []
        idx += 1
        closed = False
        while idx < len(lines):
            raw = lines[idx].rstrip("\r\n")
            c = FENCE.match(raw)
            if (c and c.group(2)[0] == fence[0] and len(c.group(2)) >= len(fence)
                    and not c.group(3).strip()):
                closed = True
                idx += 1
                break
            # Content lines lose up to `indent` leading spaces, as CommonMark says.
            strip = len(raw) - len(raw.lstrip(" "))
            body.append(lines[idx][min(strip, indent):])
            idx += 1
        blocks.append(Block(path, start + 1, info, "".join(body)))
        if not closed:
            break  # an unclosed fence runs to the end of the document
    return blocks


def classify(info):
    """('clean', None) or ('error', CODE) for an assure block, None for other blocks,
    or ('bad', reason) for an assure block with an info string this script does not know."""
    words = info.split()
    if not words or words[0] != "assure":
        return None
    if len(words) == 1:
        return ("clean", None)
    if len(words) == 2:
        if words[1] == "prove":
            return ("prove", None)
        m = ERROR_ATTR.match(words[1])
        if m:
            return ("error", m.group(1))
    return ("bad", f"unknown info string `{info}` (use `assure`, `assure prove` or "
                   "`assure error=CODE`)")


VERDICTS = re.compile(r"^// verdicts:(.*)$", re.M)


def check_verdicts(assure, stdlib, block, folder, name, env):
    """An `assure prove` block: its `// verdicts: G=v, ...` line must match `assure prove`."""
    m = VERDICTS.search(block.text)
    if not m:
        return "an `assure prove` block needs a `// verdicts: NAME=verdict, ...` line"
    wanted = {}
    for item in m.group(1).split(","):
        claim, _, verdict = item.strip().partition("=")
        wanted[claim] = verdict
    proc = subprocess.run([assure, "prove", "--stdlib", stdlib, "--format", "json",
                           "--at", "2026-06-15", name], cwd=folder, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_SECONDS)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode not in (0, 3, 5):
        return f"assure prove exited {proc.returncode}\n{indent(err)}"
    result = json.loads(proc.stdout)
    got = {c["name"].split(".")[-1]: c["verdict"] for c in result["claims"]}
    for claim, verdict in wanted.items():
        if got.get(claim) != verdict:
            return f"expected {claim}={verdict}, got {got.get(claim)}"
    return None


def indent(text, prefix="    "):
    return "".join(prefix + line for line in text.splitlines(keepends=True))


def check_block(assure, stdlib, block, mode, code, workdir, number):
    folder = os.path.join(workdir, f"block{number:04d}")
    os.makedirs(folder)
    name = "example.assure"
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(block.text)
    env = dict(os.environ)
    env.pop("ASSURE_STDLIB", None)
    try:
        proc = subprocess.run([assure, "check", "--stdlib", stdlib, name], cwd=folder, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"timed out after {TIMEOUT_SECONDS} s"
    except OSError as e:
        return f"cannot run {assure}: {e}"
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode < 0:
        return f"killed by signal {-proc.returncode}\n{indent(err)}"
    if mode == "prove":
        if proc.returncode != 0 or "error[" in err or "warning[" in err:
            return f"expected a clean check, got exit {proc.returncode}\n{indent(err)}"
        return check_verdicts(assure, stdlib, block, folder, name, env)
    if mode == "clean":
        if proc.returncode != 0 or "error[" in err or "warning[" in err:
            return f"expected a clean check, got exit {proc.returncode}\n{indent(err)}"
        return None
    wanted = f"error[{code}]"
    if proc.returncode != 1 or wanted not in err:
        return f"expected exit 1 with {wanted}, got exit {proc.returncode}\n{indent(err)}"
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assure", required=True, help="the assure binary")
    ap.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                    help="the repository (its stdlib/ is used); default: this script's")
    ap.add_argument("markdown", nargs="+", help="Markdown files to check")
    args = ap.parse_args()

    assure = os.path.abspath(args.assure)
    stdlib = os.path.join(os.path.abspath(args.root), "stdlib")
    passed = failed = 0
    workdir = tempfile.mkdtemp(prefix="assure-doc-examples-")
    try:
        number = 0
        for path in args.markdown:
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError) as e:
                print(f"{path}: FAIL cannot read: {e}")
                failed += 1
                continue
            for block in extract_blocks(path, text):
                kind = classify(block.info)
                if kind is None:
                    continue
                number += 1
                mode, detail = kind
                if mode == "bad":
                    problem = detail
                else:
                    problem = check_block(assure, stdlib, block, mode, detail, workdir, number)
                if problem is None:
                    passed += 1
                    print(f"{block.where()}: ok")
                else:
                    failed += 1
                    print(f"{block.where()}: FAIL {problem}".rstrip("\n"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
