#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An installed, moved or packaged assure finds its standard library (issue 14, docs/install.md).

  test_install.py --assure BIN --root REPO --build BUILD_DIR [--cmake CMAKE] [--cpack CPACK]

Installs BUILD_DIR with `cmake --install` into a temporary prefix and proves the ship example
(it imports std.risk) with the installed binary from a folder outside the clone, without
ASSURE_STDLIB; moves the installed tree elsewhere (the first prefix no longer exists) and
proves again; builds the .deb with cpack, checks its control fields and contents, extracts it
with `dpkg -x` and proves with the extracted binary. Every run must print what the build's
own binary prints with `--stdlib REPO/stdlib`. A bare copy of the binary must find no standard
library (E0008), which fails if a path into the clone is ever compiled in again. Everything
is written below one temporary folder, removed at the end (cpack's staging too).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from harness import copy_case, expect, finish, tracked_files  # noqa: E402

AT = ["--at", "2026-11-23"]
# (example folder, the std module it imports, the command): the ship is proved, the identity
# case checked, so two different library modules are loaded.
RUNS = [("autonomous-ship", "std.risk", ["prove", "navigation.assure", "perception.assure"] + AT),
        ("identity-verification", "std.iec61508", ["check", "face-match.assure"])]


def show(p):
    return f"exit {p.returncode}\n--- stdout\n{p.stdout.decode(errors='replace')[-1500:]}" \
           f"\n--- stderr\n{p.stderr.decode(errors='replace')[-1500:]}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--cpack", default="cpack")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    build = os.path.abspath(args.build)
    stdlib = os.path.join(root, "stdlib")
    env = {k: v for k, v in os.environ.items() if k != "ASSURE_STDLIB"}
    tmp = os.path.realpath(tempfile.mkdtemp(prefix="assure-install-"))
    staging_before = os.path.exists(os.path.join(build, "_CPack_Packages"))
    try:
        run_all(args, root, build, stdlib, env, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    expect("nothing is left behind: the temporary folder is gone",
           not os.path.exists(tmp), tmp)
    expect("cpack staged nothing in the build folder",
           staging_before or not os.path.exists(os.path.join(build, "_CPack_Packages")))
    return finish()


def run_all(args, root, build, stdlib, env, tmp):
    # The cases, copied out of the clone: every run's working folder is outside it.
    cases = {}
    for example, module, _ in RUNS:
        src = os.path.join(root, "examples", example)
        cases[example] = copy_case(src, os.path.join(tmp, "cases", example), tracked_files(src))
        text = b"".join(open(os.path.join(src, f), "rb").read()
                        for f in os.listdir(src) if f.endswith(".assure"))
        expect(f"{example} imports {module}, so the lookup is exercised",
               f"import {module}".encode() in text)

    def run(binary, example, argv, extra_env=None, extra_args=()):
        return subprocess.run([binary] + argv + list(extra_args), cwd=cases[example],
                              env=dict(env, **(extra_env or {})), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=300)

    # What the build's binary prints when it is told where the library is.
    reference = {}
    for example, _, argv in RUNS:
        p = run(os.path.abspath(args.assure), example, argv, extra_args=["--stdlib", stdlib])
        reference[example] = (p.returncode, p.stdout)
        expect(f"reference: {example} {argv[0]} succeeds with --stdlib", p.returncode == 0, show(p))

    def proves_like_reference(name, binary, expected_stdlib, path_env=None):
        """Every run with `binary` prints what the reference printed, and --verbose shows that
        it used the standard library at `expected_stdlib`."""
        for example, _, argv in RUNS:
            p = run(binary, example, argv, path_env)
            expect(f"{name}: {example} {argv[0]} prints what the build's binary prints",
                   (p.returncode, p.stdout) == reference[example], show(p))
        p = run(binary, RUNS[0][0], ["check", "--verbose"] + RUNS[0][2][1:3], path_env)
        used = re.search(rb"^stdlib: (.*) \(", p.stderr, re.M)
        expect(f"{name}: --verbose shows the library at {expected_stdlib}",
               p.returncode == 0 and used is not None
               and os.path.realpath(used.group(1).decode()) == os.path.realpath(expected_stdlib),
               show(p))

    # ---- (a) cmake --install into a prefix
    prefix = os.path.join(tmp, "prefix")
    p = subprocess.run([args.cmake, "--install", build, "--prefix", prefix],
                       capture_output=True, timeout=300)
    expect("cmake --install succeeds", p.returncode == 0, show(p))
    installed = os.path.join(prefix, "bin", "assure")
    expect("the binary is installed in PREFIX/bin", os.access(installed, os.X_OK))
    same_stdlib(os.path.join(prefix, "share", "assure", "stdlib"), stdlib, "install")
    for doc in ("LICENSE", "README.md", "docs/install.md", "docs/language.md",
                "examples/autonomous-ship/navigation.assure"):
        expect(f"install: share/doc/assure/{doc} is installed",
               os.path.isfile(os.path.join(prefix, "share", "doc", "assure", doc)))
    proves_like_reference("installed", installed,
                          os.path.join(prefix, "share", "assure", "stdlib"))

    # ---- (b) the installed tree moved elsewhere: the first prefix is gone
    moved = os.path.join(tmp, "elsewhere", "opt-assure")
    os.makedirs(os.path.dirname(moved))
    os.rename(prefix, moved)
    expect("the first prefix no longer exists", not os.path.exists(prefix))
    moved_bin = os.path.join(moved, "bin", "assure")
    moved_stdlib = os.path.join(moved, "share", "assure", "stdlib")
    proves_like_reference("moved", moved_bin, moved_stdlib)
    # On PATH through a symbolic link, as the README suggests (~/.local/bin/assure -> ...):
    # the link is resolved, so the library beside the real binary is found.
    on_path = os.path.join(tmp, "path-bin")
    os.makedirs(on_path)
    os.symlink(moved_bin, os.path.join(on_path, "assure"))
    path_env = {"PATH": on_path + os.pathsep + env.get("PATH", "")}
    p = run("assure", RUNS[0][0], RUNS[0][2], path_env)
    expect("a symbolic link on PATH runs the moved binary with its library",
           (p.returncode, p.stdout) == reference[RUNS[0][0]], show(p))

    # $ASSURE_STDLIB and --stdlib come first, and a wrong one is not silently replaced.
    p = run(moved_bin, RUNS[0][0], RUNS[0][2], {"ASSURE_STDLIB": stdlib})
    expect("moved: $ASSURE_STDLIB is used", (p.returncode, p.stdout) == reference[RUNS[0][0]],
           show(p))
    nowhere = os.path.join(tmp, "no-such-stdlib")
    p = run(moved_bin, RUNS[0][0], RUNS[0][2], {"ASSURE_STDLIB": nowhere})
    expect("moved: $ASSURE_STDLIB naming no folder is E0008 (no fallback), exit 1",
           p.returncode == 1 and b"error[E0008]" in p.stderr and nowhere.encode() in p.stderr
           and b"navigation.assure:8:8" in p.stderr, show(p))
    p = run(moved_bin, RUNS[0][0], RUNS[0][2], {"ASSURE_STDLIB": nowhere},
            ["--stdlib", moved_stdlib])
    expect("moved: --stdlib beats $ASSURE_STDLIB",
           (p.returncode, p.stdout) == reference[RUNS[0][0]], show(p))

    # A copy of the binary alone finds no library: nothing points back into the clone or
    # into a prefix. The diagnostic is located at the import and names each place searched.
    bare_bin = os.path.join(tmp, "bare", "bin", "assure")
    os.makedirs(os.path.dirname(bare_bin))
    shutil.copy2(moved_bin, bare_bin)
    p = run(bare_bin, RUNS[0][0], RUNS[0][2])
    searched = [os.path.join(tmp, "bare", "share", "assure", "stdlib"),
                os.path.join(tmp, "bare", "bin", "stdlib")]
    expect("a bare copy of the binary: E0008 at the import, exit 1",
           p.returncode == 1 and b"error[E0008]" in p.stderr
           and b"navigation.assure:8:8" in p.stderr and b"error[E0004]" not in p.stderr,
           show(p))
    expect("a bare copy of the binary: E0008 names every place searched",
           all(f"`{s}`".encode() in p.stderr for s in searched)
           and b"$ASSURE_STDLIB" in p.stderr, show(p))
    p = run(bare_bin, RUNS[0][0], RUNS[0][2] + ["--diagnostics", "json"])
    expect("a bare copy of the binary: E0008 in JSON diagnostics too",
           p.returncode == 1 and b'"E0008"' in p.stderr, show(p))
    # A library folder beside the bare binary (an unpacked tarball) is found.
    shutil.copytree(moved_stdlib, os.path.join(tmp, "bare", "bin", "stdlib"))
    proves_like_reference("a binary with stdlib/ beside it", bare_bin,
                          os.path.join(tmp, "bare", "bin", "stdlib"))

    # ---- (c) the Debian package
    pkg_dir = os.path.join(tmp, "package")
    p = subprocess.run([args.cpack, "-G", "DEB", "--config",
                        os.path.join(build, "CPackConfig.cmake"), "-B", pkg_dir],
                       capture_output=True, timeout=600)
    expect("cpack -G DEB succeeds", p.returncode == 0, show(p))
    debs = sorted(f for f in os.listdir(pkg_dir) if f.endswith(".deb")) \
        if os.path.isdir(pkg_dir) else []
    expect("cpack made one .deb", len(debs) == 1, debs)
    if len(debs) != 1:
        return
    deb = os.path.join(pkg_dir, debs[0])
    version = project_version(root)
    fields = {}
    for field in ("Package", "Version", "Architecture", "Maintainer", "Section", "Depends",
                  "Description"):
        fields[field] = subprocess.run(["dpkg-deb", "-f", deb, field], capture_output=True,
                                       timeout=60).stdout.decode().strip()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True,
                          timeout=60).stdout.decode().strip()
    expect("deb: Package is assure", fields["Package"] == "assure", fields)
    expect(f"deb: Version is the project's ({version})", fields["Version"] == version, fields)
    expect(f"deb: Architecture is {arch}", fields["Architecture"] == arch, fields)
    expect("deb: Maintainer, Section and Description are set",
           all(fields[f] for f in ("Maintainer", "Section", "Description")), fields)
    depends = [d.strip().split()[0] for d in fields["Depends"].split(",") if d.strip()]
    expect("deb: Depends names libz3 and the C++ runtime",
           any(d.startswith("libz3") for d in depends) and "libstdc++6" in depends, fields)
    expect(f"deb: file name is assure_{version}_{arch}.deb",
           debs[0] == f"assure_{version}_{arch}.deb", debs)
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True,
                             timeout=60).stdout.decode().splitlines()
    paths = [line.split()[-1] for line in listing if line.strip()]
    expect("deb: every file is under /usr/bin or /usr/share",
           paths and all(x in ("./", "./usr/", "./usr/bin/", "./usr/share/")
                         or x.startswith(("./usr/bin/", "./usr/share/")) for x in paths),
           [x for x in paths if not x.startswith(("./usr/bin/", "./usr/share/"))])
    for want in ("./usr/bin/assure", "./usr/share/assure/stdlib/risk.assure",
                 "./usr/share/doc/assure/LICENSE"):
        expect(f"deb: holds {want}", want in paths, paths[:20])

    extracted = os.path.join(tmp, "root")
    p = subprocess.run(["dpkg", "-x", deb, extracted], capture_output=True, timeout=120)
    expect("dpkg -x extracts the package", p.returncode == 0, show(p))
    deb_bin = os.path.join(extracted, "usr", "bin", "assure")
    expect("deb: the binary is stripped (no .symtab, no .debug_info)",
           is_stripped(deb_bin), deb_bin)
    same_stdlib(os.path.join(extracted, "usr", "share", "assure", "stdlib"), stdlib, "deb")
    proves_like_reference("deb", deb_bin, os.path.join(extracted, "usr", "share", "assure",
                                                       "stdlib"))


def same_stdlib(installed, source, name):
    want = sorted(f for f in os.listdir(source) if f.endswith(".assure"))
    have = sorted(os.listdir(installed)) if os.path.isdir(installed) else []
    expect(f"{name}: the standard library is installed whole ({len(want)} modules)",
           have == want and all(open(os.path.join(installed, f), "rb").read()
                                == open(os.path.join(source, f), "rb").read() for f in want),
           (have, want))


def project_version(root):
    with open(os.path.join(root, "CMakeLists.txt")) as f:
        m = re.search(r"project\(assure VERSION ([0-9.]+)", f.read())
    return m.group(1) if m else "?"


def is_stripped(binary):
    """True when the ELF file has no symbol table and no debug sections."""
    try:
        p = subprocess.run(["readelf", "-S", "-W", binary], capture_output=True, timeout=60)
    except OSError:
        return False
    names = p.stdout.decode(errors="replace")
    return p.returncode == 0 and ".text" in names and ".symtab" not in names \
        and ".debug_info" not in names


if __name__ == "__main__":
    sys.exit(main())
