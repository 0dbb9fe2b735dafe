# SPDX-License-Identifier: Apache-2.0
"""What the tests of `assure serve` (and bench/serve_load.py) share: the real service started on a
loopback port (port 0, the port read from its first line on stdout), HTTP requests with
http.client, the history as `assure history` shows it, the two history backends, and a strict
parser of the Prometheus text exposition format (0.0.4)."""
import http.client
import json
import math
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.parse

LISTENING = re.compile(rb"assure serve: listening on http://127\.0\.0\.1:(\d+) ")


def make_token(folder, name="token"):
    """A token file of mode 600 in `folder`; returns (path, token)."""
    token = secrets.token_urlsafe(32)
    path = os.path.join(folder, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return path, token


class Backends:
    """Where test histories live: SQLite files in a folder, or fresh databases on the PostgreSQL
    server of ASSURE_TEST_PG_URL (tests/support/pg_cluster.sh exec)."""

    def __init__(self, backend, folder):
        self.backend = backend
        self.folder = folder
        self.created = []
        if backend == "postgresql":
            self.url = os.environ.get("ASSURE_TEST_PG_URL", "")
            if not self.url:
                raise RuntimeError("--backend postgresql needs ASSURE_TEST_PG_URL (run the test "
                                   "through tests/support/pg_cluster.sh exec)")
            self.psql = os.path.join(os.environ.get("ASSURE_TEST_PG_BIN", "/usr/bin"), "psql")
            self.prefix = f"serve_{os.getpid()}_"

    def new(self, name):
        """The location of a new, empty history."""
        if self.backend == "sqlite":
            return os.path.join(self.folder, name + ".db")
        db = self.prefix + name
        r = subprocess.run([self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url,
                            "-c", f'CREATE DATABASE "{db}"'], capture_output=True, timeout=120)
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr.decode())
        self.created.append(db)
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + db))

    def cleanup(self):
        for db in self.created:
            subprocess.run([self.psql, "-X", "-q", "-d", self.url, "-c",
                            f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'],
                           capture_output=True, timeout=120)
        self.created = []


STARTED = []  # every Service started, for stop_all()


def stop_all():
    """Kills every service a test started and left running (a test that failed half-way)."""
    for svc in STARTED:
        if svc.alive():
            svc.kill9()


class Service:
    """One `assure serve` process: its stdout and stderr go to files in `folder` (the log is
    read back to check that no token is in it)."""

    def __init__(self, assure, files, cwd, db, env, folder, token_file=None, listen="127.0.0.1:0",
                 extra=(), name="serve"):
        self.assure = assure
        self.argv = [assure, "serve", *files, "--db", db]
        if listen is not None:
            self.argv += ["--listen", listen]
        if token_file is not None:
            self.argv += ["--token-file", token_file]
        self.argv += list(extra)
        self.cwd = cwd
        self.env = env
        self.out_path = os.path.join(folder, name + ".out")
        self.err_path = os.path.join(folder, name + ".err")
        self.proc = None
        self.port = None
        self.starts = 0

    def start(self, timeout=120):
        """Starts the service and waits for its `listening on` line; returns True, or False when
        the process ended first (see returncode, out(), err())."""
        self.starts += 1
        mode = "ab" if self.starts > 1 else "wb"
        with open(self.out_path, mode) as out, open(self.err_path, mode) as err:
            start_at = out.tell()
            self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=out,
                                         stderr=err, stdin=subprocess.DEVNULL)
        STARTED.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.out_path, "rb") as f:
                f.seek(start_at)
                m = LISTENING.search(f.read())
            if m:
                self.port = int(m.group(1))
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.02)
        raise RuntimeError(f"assure serve did not start in {timeout} s: {self.err()}")

    @property
    def returncode(self):
        return self.proc.returncode if self.proc else None

    def out(self):
        with open(self.out_path, "rb") as f:
            return f.read().decode(errors="replace")

    def err(self):
        with open(self.err_path, "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, timeout=60):
        """SIGTERM; the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(60)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def request(self, method, path, body=None, headers=None, timeout=120):
        """(status, headers as a dict with lower-case names, body bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def get(self, path, token=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        return self.request("GET", path, headers=headers)

    def get_json(self, path, token=None):
        status, _, body = self.get(path, token)
        return status, json.loads(body)

    def post(self, body, token):
        """POSTs `body` (bytes, or an object sent as JSON) to /events; (status, JSON answer or
        None)."""
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = "Bearer " + token
        status, _, data = self.request("POST", "/events", body, headers)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, None


def run_assure(assure, argv, env, cwd=None, timeout=300):
    return subprocess.run([assure, *argv], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def history(assure, db, env):
    """The history as `assure history --format json` gives it (deltas expanded)."""
    r = run_assure(assure, ["history", "--db", db, "--format", "json"], env)
    if r.returncode != 0:
        raise RuntimeError("assure history: " + r.stderr.decode())
    return json.loads(r.stdout)


def verify(assure, db, env):
    """(intact, entries) from `assure history --verify --format json`."""
    r = run_assure(assure, ["history", "--db", db, "--verify", "--format", "json"], env)
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return False, 0
    return r.returncode == 0 and doc.get("intact") is True, doc.get("entries", 0)


# ---- Prometheus text exposition format 0.0.4, strictly -----------------------------------------

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


class PromError(ValueError):
    pass


def _value(text, where):
    if text in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise PromError(f"{where}: `{text}` is not a sample value")
    return float(text)


def _labels(text, where):
    """`text` is what is between the braces; returns a tuple of (name, value) pairs."""
    out = []
    k = 0
    while k < len(text):
        m = re.match(r"[a-zA-Z_][a-zA-Z0-9_]*", text[k:])
        if not m:
            raise PromError(f"{where}: a label name expected at `{text[k:]}`")
        name = m.group(0)
        k += len(name)
        if text[k:k + 2] != '="':
            raise PromError(f'{where}: `="` expected after label {name}')
        k += 2
        value = []
        while True:
            if k >= len(text):
                raise PromError(f"{where}: unterminated value of label {name}")
            c = text[k]
            if c == "\\":
                nxt = text[k + 1:k + 2]
                if nxt not in ("\\", '"', "n"):
                    raise PromError(f"{where}: bad escape \\{nxt} in label {name}")
                value.append("\n" if nxt == "n" else nxt)
                k += 2
            elif c == '"':
                k += 1
                break
            elif c == "\n":
                raise PromError(f"{where}: line feed in label {name}")
            else:
                value.append(c)
                k += 1
        if name in (n for n, _ in out):
            raise PromError(f"{where}: label {name} twice")
        out.append((name, "".join(value)))
        if k < len(text):
            if text[k] != ",":
                raise PromError(f"{where}: `,` or `}}` expected after label {name}")
            k += 1
    return tuple(out)


def parse_prometheus(text):
    """Parses the text format strictly: every line a HELP, a TYPE, another comment, blank, or a
    sample `name{labels} value [timestamp]`; one TYPE and one HELP at most per family, before
    its samples; a family's samples together; no series twice; the text ends with a line feed.
    Returns {family: {"type", "help", "samples": {(name, labels): value}}}; raises PromError."""
    if not text.endswith("\n"):
        raise PromError("the exposition does not end with a line feed")
    families = {}
    order = []  # families in the order their samples appear
    series = set()

    def family_of(name):
        for suffix in ("_bucket", "_count", "_sum"):
            base = name[:-len(suffix)] if name.endswith(suffix) else None
            if base and base in families and families[base]["type"] in ("histogram", "summary"):
                return base
        return name

    for number, line in enumerate(text[:-1].split("\n"), 1):
        where = f"line {number}"
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not METRIC_NAME.match(name):
                    raise PromError(f"{where}: `{name}` is not a metric name")
                fam = families.setdefault(name, {"type": None, "help": None, "samples": {}})
                if fam["samples"]:
                    raise PromError(f"{where}: {parts[1]} of {name} after its samples")
                key = parts[1].lower()
                if fam[key] is not None:
                    raise PromError(f"{where}: a second {parts[1]} for {name}")
                if parts[1] == "TYPE":
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise PromError(f"{where}: bad TYPE line")
                    fam["type"] = parts[3]
                else:
                    fam["help"] = parts[3] if len(parts) == 4 else ""
                    if re.search(r"\\(?![\\n])", fam["help"].replace("\\\\", "")):
                        raise PromError(f"{where}: a backslash in HELP of {name} escapes nothing")
            continue
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)( (-?\d+))?", line)
        if not m:
            raise PromError(f"{where}: not a sample line: `{line}`")
        name = m.group(1)
        labels = _labels(m.group(3), where) if m.group(3) else ()
        value = _value(m.group(4), where)
        fam_name = family_of(name)
        fam = families.setdefault(fam_name, {"type": None, "help": None, "samples": {}})
        if fam_name in order and order[-1] != fam_name:
            raise PromError(f"{where}: the samples of {fam_name} are not together")
        if fam_name not in order:
            order.append(fam_name)
        key = (name, tuple(sorted(labels)))
        if key in series:
            raise PromError(f"{where}: the series {name}{dict(labels)} twice")
        series.add(key)
        if fam["type"] == "counter" and (value < 0 or math.isnan(value)):
            raise PromError(f"{where}: counter {name} is {value}")
        fam["samples"][(name, labels)] = value
    return families


def sample(families, name, **labels):
    """The value of one series, or None."""
    fam = families.get(name)
    if not fam:
        return None
    return fam["samples"].get((name, tuple(labels.items())))
