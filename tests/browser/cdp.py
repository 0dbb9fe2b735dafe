# SPDX-License-Identifier: Apache-2.0
"""A minimal client of the Chrome DevTools Protocol over a pipe (`--remote-debugging-pipe`):
opens a page in headless Chromium and records what a reviewer's browser would show and do with
it — console messages, uncaught exceptions, log entries (CSP violations, failed loads) and every
request the page makes — without a server, a port or any package beyond the standard library.

    with Browser(chromium) as b:
        page = b.open("file:///tmp/report.html")
        page.errors      # console errors, exceptions, error log entries
        page.requests    # URLs the page asked for besides itself
        page.evaluate("document.title")
        page.screenshot("shot.png")
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time


class CdpError(Exception):
    pass


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    def __init__(self, binary, timeout=30.0):
        self.binary = binary
        self.timeout = timeout
        self.next_id = 0
        self.events = []
        self.buffer = b""

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="assure-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        def child_fds():
            # Via fresh descriptors, in case a pipe's own number is 3 or 4.
            r, w = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(r, 3)
            os.dup2(w, 4)
        args = [self.binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--mute-audio",
                "--hide-scrollbars", "--window-size=1280,900", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds,
                                     pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_browser)
        os.close(self.from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_browser, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise CdpError("no answer from Chromium in time")
            import select
            ready, _, _ = select.select([self.from_browser], [], [], 0.2)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise CdpError("Chromium closed the pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None):
        want = self.send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = self.read_message(deadline)
            if msg.get("id") == want:
                if "error" in msg:
                    raise CdpError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_event(self, method, session, seconds):
        deadline = time.monotonic() + seconds
        while True:
            for k, ev in enumerate(self.events):
                if ev["method"] == method and ev.get("sessionId") == session:
                    del self.events[k]
                    return ev
            msg = self.read_message(deadline)
            if "method" in msg:
                self.events.append(msg)

    def pump(self, seconds):
        """Collects events for `seconds`."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                msg = self.read_message(deadline)
                if "method" in msg:
                    self.events.append(msg)
        except CdpError:
            pass

    def open(self, url, settle=0.3):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", {}, session)
        self.call("Page.navigate", {"url": url}, session)
        self.wait_event("Page.loadEventFired", session, self.timeout)
        self.pump(settle)
        page.url = url
        return page


class Page:
    def __init__(self, browser, target, session):
        self.browser = browser
        self.target = target
        self.session = session
        self.url = None

    def _events(self):
        return [e for e in self.browser.events if e.get("sessionId") == self.session]

    @property
    def errors(self):
        """Console errors and assertions, uncaught exceptions and error log entries."""
        out = []
        for e in self._events():
            p = e.get("params", {})
            if e["method"] == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                text = d.get("exception", {}).get("description") or d.get("text", "")
                out.append("exception: " + text)
            elif e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error",
                                                                                 "assert"):
                args = " ".join(str(a.get("value", a.get("description", "")))
                                for a in p.get("args", []))
                out.append("console." + p["type"] + ": " + args)
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append("log: " + p["entry"].get("text", "") + " " +
                           p["entry"].get("url", ""))
        return out

    @property
    def requests(self):
        """Every URL the page requested besides itself (and inline data: URLs)."""
        out = []
        for e in self._events():
            if e["method"] == "Network.requestWillBeSent":
                url = e["params"]["request"]["url"]
                if url != self.url and not url.startswith("data:"):
                    out.append(url)
        return out

    def evaluate(self, expression):
        r = self.browser.call("Runtime.evaluate",
                              {"expression": expression, "returnByValue": True,
                               "awaitPromise": True}, self.session)
        if "exceptionDetails" in r:
            raise CdpError("evaluate: " + json.dumps(r["exceptionDetails"])[:500])
        return r["result"].get("value")

    def dom(self):
        """The DOM as --dump-dom prints it (templates' contents included)."""
        return self.evaluate("document.documentElement.outerHTML")

    def screenshot(self, path):
        data = self.browser.call("Page.captureScreenshot", {"format": "png"},
                                 self.session)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def settle(self, seconds=0.2):
        self.browser.pump(seconds)

    def close(self):
        self.browser.call("Target.closeTarget", {"targetId": self.target})
