#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keeps the README's command outputs current.

    check_readme.py --assure BIN README.md

The README's tour writes one case (the first ```assure block after "A five-minute tour") to
`tour.assure` in a fresh folder. Then, in README order, every plain ``` block whose first line
starts with `$ ` is a command run in that folder, and the rest of the block is its output
(stdout, then stderr) as the tool prints it today; what a command writes (`assure pin` rewrites
tour.assure) stays for the commands after it. `build/release/assure` in a command stands for
BIN. An HTML comment right before a block changes the run:

    <!-- readme-test: exit 5 -->                          the exit code expected (default 0)
    <!-- readme-test: replace "E_fog }" "E_fgo }" -->      an edit of tour.assure for this run
                                                          only (undone after it)
    <!-- readme-test: file reports/fog_eval.json -->      the block is a file the commands
                                                          after it find at that path

(directives separated by `;`, arguments quoted as in a shell). The test fails when an output
or an exit code differs, when an edit matches nothing, or when no command was found. It also
checks that the README lists every `--change` kind of `assure impact --help` and gives the exit
codes of every subcommand of `assure --help`.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

BLOCK = re.compile(r"(?:<!--\s*readme-test:(?P<directives>.*?)-->\s*\n)?```(?P<lang>[^\n]*)\n"
                   r"(?P<body>.*?)```", re.S)


def check_lists(assure, readme):
    """The README names every `--change` kind `assure impact --help` lists, and its exit-code
    table says what each subcommand of `assure --help` exits with."""
    failures = 0
    helps = subprocess.run([assure, "impact", "--help"], capture_output=True, text=True).stdout
    kinds = sorted(set(re.findall(r"\b([a-z]+):NAME", helps)))
    for kind in kinds:
        if f"`{kind}:NAME" not in readme:
            print(f"FAIL the README does not list the --change kind `{kind}:NAME`")
            failures += 1
    top = subprocess.run([assure, "--help"], capture_output=True, text=True).stdout
    subcommands = re.findall(r"^  ([a-z]+) {2,}", top.split("Subcommands:")[-1], re.M)
    table = readme[readme.find("Exit codes"):]
    table = table[:table.find("\n\n", table.find("| code |"))]
    for sub in subcommands:
        if f"{sub}:" not in table:
            print(f"FAIL the README's exit codes say nothing about `assure {sub}`")
            failures += 1
    if not kinds or not subcommands:
        print("FAIL could not read the --change kinds or the subcommands from --help")
        failures += 1
    else:
        print(f"ok   the README lists {len(kinds)} --change kinds and the exit codes of "
              f"{len(subcommands)} subcommands")
    return failures


def run_block(m, text, work, tour_path, assure):
    """Runs one README block: a file to write, a command to compare, or nothing. Returns the
    number of failures."""
    body = m.group("body")
    line = text.count("\n", 0, m.start("body")) + 1
    exit_code, replacements, file_path, failures = 0, [], None, 0
    for directive in (m.group("directives") or "").split(";"):
        words = shlex.split(directive)
        if not words:
            continue
        if words[0] == "exit" and len(words) == 2:
            exit_code = int(words[1])
        elif words[0] == "replace" and len(words) == 3:
            replacements.append((words[1], words[2]))
        elif words[0] == "file" and len(words) == 2:
            file_path = words[1]
        else:
            print(f"FAIL README.md:{line}: unknown directive `{directive.strip()}`")
            failures += 1
    if file_path is not None:
        target = os.path.join(work, file_path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(body)
        return failures
    if m.group("lang").strip() or not body.startswith("$ "):
        return failures
    command, _, expected = body.partition("\n")
    with open(tour_path, encoding="utf-8") as f:
        saved = f.read()
    case = saved
    for old, new in replacements:
        if old not in case:
            print(f"FAIL README.md:{line}: `{old}` is not in the tour case")
            failures += 1
        case = case.replace(old, new)
    with open(tour_path, "w", encoding="utf-8") as f:
        f.write(case)
    argv = [assure if w == "build/release/assure" else w for w in shlex.split(command[2:])]
    p = subprocess.run(argv, cwd=work, capture_output=True, timeout=120)
    if replacements:
        with open(tour_path, "w", encoding="utf-8") as f:
            f.write(saved)
    actual = (p.stdout + p.stderr).decode("utf-8", "replace")
    if actual.rstrip() != expected.rstrip() or p.returncode != exit_code:
        print(f"FAIL README.md:{line}: {command}\n  exit {p.returncode} (README: {exit_code})")
        print("  --- the README shows\n" + expected + "  --- assure prints\n" + actual)
        return failures + 1
    print(f"ok   README.md:{line}: {command}")
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("readme")
    args = ap.parse_args()
    text = open(args.readme, encoding="utf-8").read()
    tour_at = text.find("## A five-minute tour")
    tour = next((m.group("body") for m in BLOCK.finditer(text, tour_at)
                 if m.group("lang").strip() == "assure"), None)
    if tour_at < 0 or tour is None:
        print("FAIL the README has no tour case")
        return 1
    failures, commands = 0, 0
    work = tempfile.mkdtemp(prefix="assure-readme-")
    tour_path = os.path.join(work, "tour.assure")
    with open(tour_path, "w", encoding="utf-8") as f:
        f.write(tour)
    try:
        for m in BLOCK.finditer(text):
            failures += run_block(m, text, work, tour_path, os.path.abspath(args.assure))
            body = m.group("body")
            commands += 0 if m.group("lang").strip() or not body.startswith("$ ") else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failures += check_lists(os.path.abspath(args.assure), text)
    if commands == 0:
        print("FAIL no `$ ` command block found in the README")
        return 1
    print(f"{commands - failures} of {commands} README commands print what the README shows")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
