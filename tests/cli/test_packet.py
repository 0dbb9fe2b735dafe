#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Evidence packets (docs/packet.md): `assure export`, `assure verify`, `assure keygen`.

    test_packet.py --assure BIN --root REPO

- each example exports (signed) and verifies, each in under a second of CPU time, and two
  exports at the same date are byte-identical (also from another working directory);
- tampering: one byte changed in every member (several positions each), a member removed or
  added, the signature swapped for another key's or another packet's, the wrong --key, a
  consistently re-hashed but unsigned forgery: verify fails (exit 6, or 1 where the packet no
  longer reads) and names the member concerned;
- hostile archives: absolute paths, `..`, symbolic and hard links, devices and FIFOs, duplicate
  names, members outside the top folder, a member whose header claims 2 GiB, a gzip bomb, a
  cut-short packet, a file that is not gzip, a plain tar: exit 1 with the code, and nothing
  written anywhere (the working directory and $TMPDIR stay empty);
- keygen: modes 0600 and 0644, never overwrites, never prints a key; loose permissions and a
  private key given as --key are refused (E0710);
- export refuses to overwrite what is not a packet (E0611, --force replaces it), a case file
  (E0610) and a symbolic link (E0609);
- replay: without cvc5 on the PATH verify replays with z3 alone; without z3 it fails (E0714);
  a forged SMT-LIB file whose answer is not the recorded one is named (E0713).
"""
import fnmatch
import gzip
import io
import json
import hashlib
import os
import random
import re
import resource
import shlex
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from harness import arguments, copy_case, expect, finish, read, tracked_files, write  # noqa

AT = "2026-11-23"
TOP = "assure-packet/"


def run(assure, args, cwd, env=None):
    return subprocess.run([assure, *args], capture_output=True, text=True, cwd=cwd, env=env)


def cpu_run(assure, args, cwd, env=None):
    """run(), and the CPU seconds (user + system) the child took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = run(assure, args, cwd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def members(path):
    """[(TarInfo, bytes)] of a packet, in archive order."""
    out = []
    with tarfile.open(path, "r:gz") as tf:
        for info in tf.getmembers():
            data = tf.extractfile(info).read() if info.isfile() else b""
            out.append((info, data))
    return out


def repack(items, path):
    """Writes [(TarInfo, bytes)] as a .tar.gz (sizes taken from the bytes)."""
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        for info, data in items:
            if info.isfile():
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            else:
                tf.addfile(info)


def fresh_env(tmpdir):
    env = dict(os.environ)
    env["TMPDIR"] = tmpdir
    return env


def tree(folder):
    out = []
    for base, dirs, files in os.walk(folder):
        for f in files + dirs:
            out.append(os.path.relpath(os.path.join(base, f), folder))
    return sorted(out)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def examples(assure, root, tmp):
    """Each example exported (signed) and verified; reproducibility; timings."""
    key = os.path.join(tmp, "signing.key")
    r = run(assure, ["keygen", "-o", key], tmp)
    expect("keygen writes a key pair", r.returncode == 0, r.stderr)
    packets = {}
    for ex in sorted(os.listdir(os.path.join(root, "examples"))):
        src = os.path.join(root, "examples", ex)
        if not os.path.isdir(src):
            continue
        copy_case(src, os.path.join(tmp, "examples", ex), tracked_files(src))
        files = sorted(f"examples/{ex}/{f}" for f in os.listdir(os.path.join(tmp, "examples", ex))
                       if f.endswith(".assure"))
        out = os.path.join(tmp, f"{ex}.tar.gz")
        r, t_export = cpu_run(assure, ["export", *files, "--at", AT, "-o", out, "--sign", key],
                              tmp)
        expect(f"{ex}: export exits 0", r.returncode == 0, r.stdout + r.stderr)
        r, t_verify = cpu_run(assure, ["verify", out, "--key", key + ".pub"], tmp)
        expect(f"{ex}: verify exits 0", r.returncode == 0, r.stdout + r.stderr)
        expect(f"{ex}: verify re-ran the proof and replayed with z3",
               "byte for byte the recorded ones" in r.stdout and
               re.search(r"replay: z3 answers (\d+) of \1 ", r.stdout) is not None, r.stdout)
        expect(f"{ex}: export + verify take under 1 s of CPU ({t_export + t_verify:.2f} s)",
               t_export + t_verify < 1.0)
        # The same case at the same date, from another working directory: the same bytes.
        other = os.path.join(tmp, "elsewhere")
        os.makedirs(other, exist_ok=True)
        again = os.path.join(tmp, f"{ex}-again.tar.gz")
        r = run(assure, ["export", *[os.path.join(tmp, f) for f in files], "--at", AT, "-o",
                         again, "--sign", key], other)
        expect(f"{ex}: a second export is byte-identical", read(again) == read(out),
               r.stderr)
        names = [i.name for i, _ in members(out)]
        expect(f"{ex}: members sorted, all below {TOP}",
               names == sorted(names) and all(n.startswith(TOP) for n in names), str(names))
        infos = [i for i, _ in members(out)]
        expect(f"{ex}: fixed owner, mode and time",
               all(i.uid == 0 and i.gid == 0 and i.uname == "assure" and i.mode == 0o644 and
                   i.isfile() for i in infos) and len({i.mtime for i in infos}) == 1)
        gz = read(out)
        expect(f"{ex}: gzip header without a time or a name",
               gz[4:8] == b"\0\0\0\0" and (gz[3] & 0x08) == 0)
        packets[ex] = out
    return key, packets


def verify(assure, packet, tmp, extra=()):
    work = tempfile.mkdtemp(dir=tmp)
    tmpdir = tempfile.mkdtemp(dir=tmp)
    r = run(assure, ["verify", packet, *extra], work, fresh_env(tmpdir))
    left = tree(work) + tree(tmpdir)
    return r, left


def tampering(assure, tmp, key, packet):
    items = members(packet)
    rng = random.Random(17)
    pub = key + ".pub"
    for idx, (info, data) in enumerate(items):
        name = info.name[len(TOP):]
        positions = sorted({0, len(data) // 2, len(data) - 1, *(rng.randrange(len(data))
                                                               for _ in range(2))})
        for pos in positions:
            changed = bytearray(data)
            changed[pos] ^= 0x01 if pos % 2 else 0x20
            forged = list(items)
            forged[idx] = (info, bytes(changed))
            out = os.path.join(tmp, "tampered.tar.gz")
            repack(forged, out)
            r, left = verify(assure, out, tmp, ["--key", pub, "--no-replay"])
            expect(f"tamper {name} byte {pos}: verify fails and names it",
                   r.returncode in (1, 6) and name in r.stderr and not left,
                   f"exit {r.returncode}: {r.stdout}{r.stderr} left {left}")
    # A member removed, a member added.
    for idx, (info, _) in enumerate(items):
        name = info.name[len(TOP):]
        if name in ("manifest.json",):
            continue
        out = os.path.join(tmp, "removed.tar.gz")
        repack(items[:idx] + items[idx + 1:], out)
        r, left = verify(assure, out, tmp, ["--key", pub, "--no-replay"])
        expect(f"remove {name}: verify fails and names it",
               r.returncode == 6 and name in r.stderr and not left, r.stdout + r.stderr)
    extra = tarfile.TarInfo(TOP + "case/extra.assure")
    extra.mode = 0o644
    out = os.path.join(tmp, "added.tar.gz")
    repack(items + [(extra, b"module x\n")], out)
    r, left = verify(assure, out, tmp, ["--key", pub, "--no-replay"])
    expect("add a member: E0706 names it", r.returncode == 6 and "E0706" in r.stderr and
           "case/extra.assure" in r.stderr and not left, r.stdout + r.stderr)
    out = os.path.join(tmp, "nomanifest.tar.gz")
    repack([m for m in items if not m[0].name.endswith("/manifest.json")], out)
    r, _ = verify(assure, out, tmp)
    expect("remove manifest.json: E0704, exit 1", r.returncode == 1 and "E0704" in r.stderr,
           r.stderr)

    # The signature and the key swapped.
    other_key = os.path.join(tmp, "other.key")
    run(assure, ["keygen", "-o", other_key], tmp)
    r, _ = verify(assure, packet, tmp, ["--key", other_key + ".pub", "--no-replay"])
    expect("verify with another key: E0709", r.returncode == 6 and "E0709" in r.stderr,
           r.stderr)
    return other_key


def signatures(assure, tmp, key, other_key, packets):
    names = sorted(packets)
    a, b = packets[names[0]], packets[names[1]]
    items_a = members(a)
    sig_b = [d for i, d in members(b) if i.name.endswith("/manifest.sig")][0]
    forged = [(i, sig_b if i.name.endswith("/manifest.sig") else d) for i, d in items_a]
    out = os.path.join(tmp, "swapped-sig.tar.gz")
    repack(forged, out)
    r, _ = verify(assure, out, tmp, ["--key", key + ".pub", "--no-replay"])
    expect("another packet's signature (same key): E0709 names manifest.sig",
           r.returncode == 6 and "E0709" in r.stderr and "manifest.sig" in r.stderr, r.stderr)
    # Re-signed by another key: the fingerprint names the other key.
    ex = names[0]
    files = sorted(f"examples/{ex}/{f}" for f in os.listdir(os.path.join(tmp, "examples", ex))
                   if f.endswith(".assure"))
    other_packet = os.path.join(tmp, "other-signed.tar.gz")
    run(assure, ["export", *files, "--at", AT, "-o", other_packet, "--sign", other_key], tmp)
    sig_other = [d for i, d in members(other_packet) if i.name.endswith("/manifest.sig")][0]
    forged = [(i, sig_other if i.name.endswith("/manifest.sig") else d) for i, d in items_a]
    repack(forged, out)
    r, _ = verify(assure, out, tmp, ["--key", key + ".pub", "--no-replay"])
    expect("another key's signature: E0709", r.returncode == 6 and "E0709" in r.stderr,
           r.stderr)
    # The signature removed: an unsigned packet with --key fails; without --key it is said.
    unsigned = [(i, d) for i, d in items_a if not i.name.endswith("/manifest.sig")]
    repack(unsigned, out)
    r, _ = verify(assure, out, tmp, ["--key", key + ".pub", "--no-replay"])
    expect("signature removed, --key given: E0709", r.returncode == 6 and "E0709" in r.stderr,
           r.stderr)
    r, _ = verify(assure, a, tmp, ["--no-replay"])
    expect("signed packet without --key: verified, but says the signature was not checked",
           r.returncode == 0 and "NOT CHECKED" in r.stdout, r.stdout)
    # A consistent forgery (file, manifest and statement re-hashed, not re-signed): the
    # signature catches it; without --key the re-run proof does.
    forged = forge(items_a, "case/", lambda text: text.replace(b"\n", b"\n// forged\n", 1))
    repack(forged, out)
    r, _ = verify(assure, out, tmp, ["--key", key + ".pub", "--no-replay"])
    expect("consistent forgery, --key: E0709", r.returncode == 6 and "E0709" in r.stderr,
           r.stderr)
    r, _ = verify(assure, out, tmp, ["--no-replay"])
    expect("consistent forgery of a case file, no key: the re-run proof differs (E0712)",
           r.returncode == 6 and "E0712" in r.stderr, r.stdout + r.stderr)


def forge(items, prefix, change):
    """The first .assure member below `prefix` changed by `change`, with the manifest and
    statement made consistent with it (manifest.sig left as it was)."""
    info = next(i for i, _ in items
                if i.name.startswith(TOP + prefix) and i.name.endswith(".assure"))
    return forge_file(items, info.name[len(TOP):], change)


def drop_assertions(text):
    """An SMT-LIB script with its (assert ...) commands removed (they span several lines)."""
    out, depth, skipping = [], 0, False
    idx = 0
    while idx < len(text):
        if depth == 0 and text.startswith(b"(assert", idx):
            skipping = True
        c = text[idx:idx + 1]
        if c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
        if not skipping:
            out.append(c)
        if skipping and depth == 0 and c == b")":
            skipping = False
        idx += 1
    return b"".join(out)


def hostile(assure, tmp, packet):
    items = members(packet)
    evil_target = os.path.join(tmp, "evil-written")

    def with_member(info, data=b"x"):
        out = os.path.join(tmp, "hostile.tar.gz")
        repack(items + [(info, data)], out)
        return out

    def member(name, kind=tarfile.REGTYPE, link=""):
        i = tarfile.TarInfo(name)
        i.type = kind
        i.linkname = link
        i.mode = 0o644
        return i

    cases = [
        ("absolute path", with_member(member(evil_target)), "E0702"),
        ("`..` component", with_member(member(TOP + "../../evil-written")), "E0702"),
        ("`..` inside", with_member(member(TOP + "case/../../evil")), "E0702"),
        ("outside the top folder", with_member(member("other/evil")), "E0702"),
        ("symbolic link", with_member(member(TOP + "case/link", tarfile.SYMTYPE, "/etc/passwd"),
                                      b""), "E0702"),
        ("hard link", with_member(member(TOP + "case/hard", tarfile.LNKTYPE, TOP + "result.json"),
                                  b""), "E0702"),
        ("character device", with_member(member(TOP + "case/dev", tarfile.CHRTYPE), b""),
         "E0702"),
        ("FIFO", with_member(member(TOP + "case/fifo", tarfile.FIFOTYPE), b""), "E0702"),
        ("duplicate name", with_member(member(TOP + "result.json"), b"{}"), "E0702"),
    ]
    # A header that claims 2 GiB, then nothing.
    big = tarfile.TarInfo(TOP + "case/huge.bin")
    big.size = 2 << 30
    out = os.path.join(tmp, "huge.tar.gz")
    with open(out, "wb") as f:
        f.write(gzip.compress(big.tobuf(tarfile.PAX_FORMAT) + b"\0" * 4096, mtime=0))
    cases.append(("a member claiming 2 GiB", out, "E0703"))
    # A gzip bomb: 200 MiB of zeros, about 200 KiB compressed.
    bomb = os.path.join(tmp, "bomb.tar.gz")
    zeros = tarfile.TarInfo(TOP + "case/zeros.bin")
    zeros.size = 200 << 20
    with gzip.open(bomb, "wb", compresslevel=1) as g:
        g.write(zeros.tobuf(tarfile.PAX_FORMAT))
        chunk = b"\0" * (1 << 20)
        for _ in range(200):
            g.write(chunk)
        g.write(b"\0" * 1024)
    cases.append(("gzip bomb", bomb, "E0703"))
    whole = read(packet)
    cut = os.path.join(tmp, "cut.tar.gz")
    write(cut, whole[: len(whole) // 2])
    cases.append(("cut short", cut, "E0701"))
    junk = os.path.join(tmp, "junk.tar.gz")
    write(junk, bytes(random.Random(3).randrange(256) for _ in range(5000)))
    cases.append(("not gzip", junk, "E0701"))
    plain = os.path.join(tmp, "plain.tar.gz")
    with tarfile.open(plain, "w") as tf:
        for info, data in items:
            tf.addfile(info, io.BytesIO(data))
    cases.append(("a tar that is not gzip-compressed", plain, "E0701"))
    empty = os.path.join(tmp, "empty.tar.gz")
    write(empty, gzip.compress(b"", mtime=0))
    cases.append(("an empty gzip stream", empty, "E0701"))
    for what, path, code in cases:
        r, left = verify(assure, path, tmp)
        expect(f"hostile packet, {what}: exit 1 with {code}, nothing written",
               r.returncode == 1 and code in r.stderr and not left and
               not os.path.exists(evil_target) and "nothing was extracted" in r.stdout,
               f"exit {r.returncode}: {r.stdout}{r.stderr} left {left}")


def keys_and_outputs(assure, tmp, root, packets):
    key = os.path.join(tmp, "k2")
    r = run(assure, ["keygen", "-o", key], tmp)
    mode = stat.S_IMODE(os.stat(key).st_mode)
    pub_mode = stat.S_IMODE(os.stat(key + ".pub").st_mode)
    expect("keygen: private key 0600, public key 0644", mode == 0o600 and pub_mode == 0o644,
           f"{oct(mode)} {oct(pub_mode)}")
    secret = read(key).decode()
    body = "".join(secret.splitlines()[1:-1])
    expect("keygen never prints the key", body not in r.stdout + r.stderr and
           "PRIVATE" not in r.stdout + r.stderr)
    before = read(key)
    r = run(assure, ["keygen", "-o", key], tmp)
    expect("keygen refuses an existing key (E0711, exit 2), leaves it",
           r.returncode == 2 and "E0711" in r.stderr and read(key) == before, r.stderr)
    os.remove(key)
    r = run(assure, ["keygen", "-o", key], tmp)
    expect("keygen refuses when only KEY.pub exists", r.returncode == 2 and "E0711" in r.stderr
           and not os.path.exists(key), r.stderr)
    key = os.path.join(tmp, "k3")
    run(assure, ["keygen", "-o", key], tmp)
    ex = sorted(packets)[0]
    files = sorted(f"examples/{ex}/{f}" for f in os.listdir(os.path.join(tmp, "examples", ex))
                   if f.endswith(".assure"))
    for loose in (0o640, 0o604, 0o620):
        os.chmod(key, loose)
        r = run(assure, ["export", *files, "--at", AT, "-o", "p.tar.gz", "--sign", key], tmp)
        expect(f"--sign refuses a key of mode {oct(loose)} (E0710, exit 2)",
               r.returncode == 2 and "E0710" in r.stderr and
               not os.path.exists(os.path.join(tmp, "p.tar.gz")), r.stderr)
    os.chmod(key, 0o600)
    r = run(assure, ["verify", packets[ex], "--key", key], tmp)
    expect("verify --key refuses a private key (E0710)", r.returncode == 2 and "E0710" in r.stderr,
           r.stderr)
    r = run(assure, ["verify", packets[ex], "--key", os.path.join(root, "README.md")], tmp)
    expect("verify --key refuses a file that is no key (E0710)",
           r.returncode == 2 and "E0710" in r.stderr, r.stderr)

    # -o refusals.
    notes = os.path.join(tmp, "notes.txt")
    write(notes, "mine\n")
    r = run(assure, ["export", *files, "--at", AT, "-o", notes], tmp)
    expect("export refuses a file that is not a packet (E0611)",
           r.returncode == 2 and "E0611" in r.stderr and read(notes) == b"mine\n", r.stderr)
    r = run(assure, ["export", *files, "--at", AT, "-o", notes, "--force"], tmp)
    expect("--force replaces it", r.returncode == 0 and read(notes)[:2] == b"\x1f\x8b", r.stderr)
    r = run(assure, ["export", *files, "--at", AT, "-o", notes], tmp)
    expect("an earlier packet is replaced", r.returncode == 0, r.stderr)
    tgz = os.path.join(tmp, "other.tar.gz")
    with tarfile.open(tgz, "w:gz") as tf:
        i = tarfile.TarInfo("x/manifest.json")
        tf.addfile(i, io.BytesIO(b""))
    r = run(assure, ["export", *files, "--at", AT, "-o", tgz], tmp)
    expect("export refuses another .tar.gz (E0611)", r.returncode == 2 and "E0611" in r.stderr,
           r.stderr)
    r = run(assure, ["export", *files, "--at", AT, "-o", files[0], "--force"], tmp)
    expect("export refuses a case file even with --force (E0610)",
           r.returncode == 2 and "E0610" in r.stderr, r.stderr)
    link = os.path.join(tmp, "link.tar.gz")
    os.symlink(notes, link)
    r = run(assure, ["export", *files, "--at", AT, "-o", link], tmp)
    expect("export refuses a symbolic link (E0609)", r.returncode == 2 and "E0609" in r.stderr,
           r.stderr)
    broken = os.path.join(tmp, "broken")
    os.makedirs(broken, exist_ok=True)
    write(os.path.join(broken, "b.assure"), "module b\nclaim G \"x\" {\n")
    r = run(assure, ["export", "broken/b.assure", "-o", "broken.tar.gz"], tmp)
    expect("export of a case with errors: exit 1, nothing written",
           r.returncode == 1 and not os.path.exists(os.path.join(tmp, "broken.tar.gz")),
           r.stderr)


def replay(assure, tmp, packets):
    ex = sorted(packets)[0]
    packet = packets[ex]
    only_z3 = os.path.join(tmp, "only-z3")
    os.makedirs(only_z3, exist_ok=True)
    z3 = shutil.which("z3")
    os.symlink(z3, os.path.join(only_z3, "z3"))
    env = dict(os.environ)
    env["PATH"] = only_z3
    r = run(assure, ["verify", packet], tmp, env)
    expect("without cvc5: verify replays with z3 alone", r.returncode == 0 and
           "replay: z3" in r.stdout and "cvc5" not in r.stdout, r.stdout + r.stderr)
    env["PATH"] = os.path.join(tmp, "no-such-folder")
    r = run(assure, ["verify", packet], tmp, env)
    expect("without z3: E0714, exit 6", r.returncode == 6 and "E0714" in r.stderr, r.stderr)
    r = run(assure, ["verify", packet, "--no-replay"], tmp, env)
    expect("without z3, --no-replay: verified, says not replayed",
           r.returncode == 0 and "NOT RUN (--no-replay)" in r.stdout, r.stdout)
    if shutil.which("cvc5"):
        r = run(assure, ["verify", packet, "--no-replay"], tmp)
        r = run(assure, ["verify", packet], tmp)
        expect("with cvc5 installed, verify replays with it too",
               re.search(r"replay: cvc5 answers (\d+) of \1 ", r.stdout) is not None, r.stdout)
    # A forged SMT-LIB file in a packet without artifacts (so no re-run): the replay names it.
    files = sorted(f"examples/{ex}/{f}" for f in os.listdir(os.path.join(tmp, "examples", ex))
                   if f.endswith(".assure"))
    na = os.path.join(tmp, "no-artifacts.tar.gz")
    r = run(assure, ["export", *files, "--at", AT, "-o", na, "--no-artifacts"], tmp)
    names = [i.name for i, _ in members(na)]
    expect("--no-artifacts: no artifact in the packet, their digests in the manifest",
           r.returncode == 0 and not any("/reports/" in n or "/policy/" in n or "/results/" in n
                                         for n in names), str(names))
    manifest = json.loads([d for i, d in members(na) if i.name == TOP + "manifest.json"][0])
    expect("--no-artifacts: manifest lists them withheld with sha256",
           manifest["artifacts"] == "withheld" and manifest["withheld_artifacts"] and
           all(len(w["sha256"]) == 64 for w in manifest["withheld_artifacts"]))
    r = run(assure, ["verify", na], tmp)
    expect("--no-artifacts: verified, the proof not re-run", r.returncode == 0 and
           "NOT RE-RUN" in r.stdout, r.stdout + r.stderr)
    trace_manifest = json.loads([d for i, d in members(na)
                                 if i.name == TOP + "trace/manifest.json"][0])
    unsat = [o["file"] for o in trace_manifest["obligations"] if o["expected"] == "unsat"]
    target = "trace/" + unsat[0]

    # Every assertion dropped: sat where the trace records unsat.
    items = members(na)
    forged = forge_file(items, target, drop_assertions)
    out = os.path.join(tmp, "forged-smt.tar.gz")
    repack(forged, out)
    r = run(assure, ["verify", out], tmp)
    expect("a forged SMT-LIB file: E0713 names it", r.returncode == 6 and "E0713" in r.stderr
           and target in r.stderr, r.stdout + r.stderr)
    hostile_smt(assure, tmp, na)


def hostile_smt(assure, tmp, na):
    """A trace file that would make a solver write a file, or print an answer of its own, is
    given to no solver (E0714), and nothing is written."""
    trace_manifest = json.loads([d for i, d in members(na)
                                 if i.name == TOP + "trace/manifest.json"][0])
    target = "trace/" + trace_manifest["obligations"][0]["file"]
    evil = os.path.join(tmp, "written-by-solver.txt")
    for what, text in (("an output channel",
                        f'(set-option :regular-output-channel "{evil}")\n(check-sat)\n'),
                       ("an echo", '(echo "sat")\n(check-sat)\n')):
        forged = forge_file(members(na), target, lambda _, t=text: t.encode())
        out = os.path.join(tmp, "forged-channel.tar.gz")
        repack(forged, out)
        r = run(assure, ["verify", out], tmp)
        expect(f"a trace file with {what}: not replayed (E0714), nothing written",
               r.returncode == 6 and "E0714" in r.stderr and target in r.stderr and
               not os.path.exists(evil), r.stdout + r.stderr)


def forge_file(items, rel, change):
    items = list(items)
    k = next(k for k, (i, _) in enumerate(items) if i.name == TOP + rel)
    new = change(items[k][1])
    items[k] = (items[k][0], new)
    mi = next(k for k, (i, _) in enumerate(items) if i.name == TOP + "manifest.json")
    manifest = json.loads(items[mi][1])
    for f in manifest["files"]:
        if f["path"] == rel:
            f["sha256"] = sha(new)
            f["size"] = len(new)
    mtext = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    items[mi] = (items[mi][0], mtext)
    si = next(k for k, (i, _) in enumerate(items) if i.name == TOP + "statement.intoto.json")
    st = json.loads(items[si][1])
    for s in st["subject"]:
        if s["name"] == rel:
            s["digest"]["sha256"] = sha(new)
        if s["name"] == "manifest.json":
            s["digest"]["sha256"] = sha(mtext)
    st["predicate"]["manifest"]["digest"]["sha256"] = sha(mtext)
    items[si] = (items[si][0], (json.dumps(st, indent=2, ensure_ascii=False) + "\n").encode())
    return items


def readme_commands(assure, root):
    """Each example's README shows export and verify; run as shown (in a copy of the examples,
    BIN standing for build/release/assure, the shell's glob expanded), they exit 0."""
    with tempfile.TemporaryDirectory() as tmp:
        for ex in sorted(os.listdir(os.path.join(root, "examples"))):
            src = os.path.join(root, "examples", ex)
            if not os.path.isdir(src):
                continue
            copy_case(src, os.path.join(tmp, "examples", ex), tracked_files(src))
            text = open(os.path.join(src, "README.md"), encoding="utf-8").read()
            cmds = re.findall(r"^ {4}(build/release/assure (?:export|verify) .*)$", text, re.M)
            expect(f"{ex}: the README shows export and verify",
                   len(cmds) == 2 and "export" in cmds[0] and "verify" in cmds[1], str(cmds))
            for cmd in cmds:
                words = []
                for w in shlex.split(cmd)[1:]:
                    if "*" in w:
                        folder, pattern = os.path.split(w)
                        words += sorted(os.path.join(folder, f)
                                        for f in os.listdir(os.path.join(tmp, folder))
                                        if fnmatch.fnmatch(f, pattern))
                    else:
                        words.append(w)
                r = run(assure, words, tmp)
                expect(f"{ex}: `{cmd}` exits 0", r.returncode == 0, r.stdout + r.stderr)
            os.remove(os.path.join(tmp, "packet.tar.gz"))


def main():
    assure, root = arguments()
    readme_commands(assure, root)
    with tempfile.TemporaryDirectory() as tmp:
        key, packets = examples(assure, root, tmp)
        other_key = tampering(assure, tmp, key, packets[sorted(packets)[0]])
        signatures(assure, tmp, key, other_key, packets)
        hostile(assure, tmp, packets[sorted(packets)[0]])
        keys_and_outputs(assure, tmp, root, packets)
        replay(assure, tmp, packets)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
