#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The HTML report in a real browser (headless Chromium, Debian's `chromium`).

    test_report_browser.py --assure BIN --root REPO --artifacts DIR [--chromium PATH]

For the reports of the three examples and of a flawed twin of the ship example (a copy, made in
a temporary folder, whose fog-chamber evidence expired), opened from file:// as a reviewer would:

- the page raises no exception and logs no console error (CSP violations and failed loads are
  log errors too), and requests nothing but itself;
- its DOM (what `chromium --dump-dom` prints, here read over the DevTools protocol) has a section
  for every claim of the case (the names from `assure prove --format json`), with the verdict
  prove gives each top claim;
- the search box finds a claim and its link leads to the section; on a lazy page
  (`--sections lazy`) every claim's section is built when navigated to;
- a screenshot of each page is kept in DIR (a test artifact);
- the report of a copy of the ship example with `--history` (a history recorded on it: runs at
  four dates, a failed campaign and its return, an impact run, a monitoring alarm and its
  re-attestation and a release with `assure event`) loads without a console error or request and shows the History
  section: four charts, each an SVG with a title and a description, drawn with their lines or
  bars, and a screenshot of the section.

The checker is shown to fail: on a page that throws, one that loads an image from the network,
and a report with a claim's section cut out. Needs Chromium (scripts/install-deps.sh installs it).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

AT = "2026-11-23"
EXAMPLES = ["agent-actions", "autonomous-ship", "identity-verification"]


def anchor(name):
    """report::html::detail::anchor."""
    out = "d-"
    for b in name.encode():
        c = chr(b)
        out += c if (c.isascii() and (c.isalnum() or c in "_.")) else "-%02x" % b
    return out


def prove_json(assure, files, cwd):
    r = subprocess.run([assure, "prove", "--at", AT, "--format", "json", *files],
                       capture_output=True, text=True, cwd=cwd)
    return json.loads(r.stdout)


def report(assure, files, out, cwd, *extra):
    r = subprocess.run([assure, "report", "--at", AT, *files, "-o", out, *extra],
                       capture_output=True, text=True, cwd=cwd)
    return r.returncode, r.stdout + r.stderr


def page_problems(page, claims=(), tops=(), lazy=False):
    """What is wrong with an opened page: errors, requests, claims without a section."""
    problems = []
    dom = page.dom()
    for name in claims:
        if lazy:
            page.evaluate(f"location.hash = {json.dumps('#' + anchor(name))}")
            page.settle(0.05)
        found = page.evaluate(f"!!document.getElementById({json.dumps(anchor(name))})")
        if not found or name not in dom:
            problems.append(f"claim {name} has no section")
    for name, verdict in tops:
        text = page.evaluate(
            f"(function(){{var s=document.getElementById({json.dumps(anchor(name))});"
            f"return s ? s.querySelector('h3 .badge').textContent : null;}})()")
        if text != verdict:
            problems.append(f"top claim {name}: page says {text}, prove says {verdict}")
    # After loading and navigating: the errors and requests of both.
    problems += [f"console/exception: {e}" for e in page.errors]
    problems += [f"network request: {u}" for u in page.requests]
    return problems


def search_finds(page, name):
    page.evaluate("(function(){var b=document.getElementById('search');"
                  f"b.value={json.dumps(name.split('.')[-1])};"
                  "b.dispatchEvent(new Event('input'));})()")
    hrefs = page.evaluate("Array.from(document.querySelectorAll('#search-results a'))"
                          ".map(function(a){return a.getAttribute('href');})")
    if "#" + anchor(name) not in hrefs:
        return False
    page.evaluate(f"document.querySelector('#search-results a[href=\"#{anchor(name)}\"]')"
                  ".click()")
    page.settle(0.1)
    return page.evaluate("location.hash") == "#" + anchor(name) and page.evaluate(
        f"document.getElementById({json.dumps(anchor(name))}).getBoundingClientRect().top"
        " < window.innerHeight")


def history_page(browser, assure, root, tmp, artifacts, check):
    """Records a history on a copy of the ship example, writes its report with --history and
    opens it. True when every check passed."""
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
    twin = os.path.join(tmp, "history-ship")
    shutil.copytree(os.path.join(root, "examples", "autonomous-ship"), twin)
    files = ["navigation.assure", "perception.assure"]
    perception = os.path.join(twin, "perception.assure")
    text = open(perception, encoding="utf-8").read()
    start = text.index('evidence E_fog_chamber "Fog chamber campaign FC-3" {')
    cut = text.index("result: pass", start)
    failed = text[:cut] + "result: fail" + text[cut + len("result: pass"):]
    steps = [("2026-10-20T08:00:00Z", text, ["prove"]),
             ("2026-11-10T08:00:00Z", failed, ["prove"]),
             ("2026-11-10T09:00:00Z", failed, ["impact", "--change", "fail:E_fog_sea"]),
             ("2026-11-12T18:00:00Z", text, ["prove"]),
             ("2026-11-23T08:00:00Z", text, ["prove"]),
             ("2026-11-24T08:00:00Z", text, ["event", "fail:E_in_service"]),
             ("2026-11-26T08:00:00Z", text, ["event", "attest:E_in_service"]),
             ("2026-11-27T08:00:00Z", text, ["event", "release:abc123=verified"])]
    ok = True
    for now, content, command in steps:
        open(perception, "w", encoding="utf-8").write(content)
        argv = ([assure, "event", "--db", "history.db", *command[1:]]
                if command[0] == "event" else [assure, command[0], "--record", "history.db",
                                               *command[1:]])
        r = subprocess.run([*argv, *files, "--at", now[:10]], cwd=twin, capture_output=True,
                           text=True, env=dict(env, ASSURE_HISTORY_NOW=now))
        ok = ok and r.returncode in (0, 5)
    open(perception, "w", encoding="utf-8").write(text)
    out = os.path.join(tmp, "ship-history.html")
    r = subprocess.run([assure, "report", "--at", AT, *files, "-o", out, "--history",
                        "history.db"], cwd=twin, capture_output=True, text=True, env=env)
    check(ok and r.returncode == 0, "ship-history: history recorded, report written "
                                    f"(exit {r.returncode}) {r.stderr.strip()}")
    page = browser.open("file://" + out)
    problems = page_problems(page)
    for p in problems:
        print("     " + p)
    check(not problems, "ship-history: no console error or request")
    charts = page.evaluate(
        "Array.from(document.querySelectorAll('#history svg.chart')).map(function(s){"
        "var r=s.getBoundingClientRect();"
        "return [s.id, s.querySelector('title') ? s.querySelector('title').textContent : '',"
        " s.querySelector('desc') ? s.querySelector('desc').textContent : '',"
        " Math.round(r.width), Math.round(r.height),"
        " s.querySelectorAll('path,rect').length];})")
    ids = [c[0] for c in charts]
    check(ids == ["history-ratios", "history-expiry", "history-defeaters", "history-alarms"],
          f"ship-history: four charts {ids}")
    drawn = all(c[1] and c[2] and c[3] > 300 and c[4] > 100 for c in charts)
    check(drawn, "ship-history: each chart has a title and a description and is drawn "
                 f"{[(c[0], c[3], c[4]) for c in charts]}")
    lines = charts[0][5] if charts else 0
    check(lines == 3, f"ship-history: the ratio chart draws three lines ({lines})")
    episodes = page.evaluate("document.querySelectorAll('#history table.episodes tr').length")
    check(episodes == 3, f"ship-history: two time-to-re-assure episodes in their table "
                         f"({episodes - 1})")
    bars = page.evaluate("document.querySelectorAll('#history-alarms rect').length")
    check(bars == 4, f"ship-history: the alarm raised and resolved, two bars and the legend "
                     f"({bars} rectangles)")
    nav = page.evaluate("!!document.querySelector('header nav a[href=\"#history\"]')")
    check(nav, "ship-history: the navigation links to the History section")
    page.evaluate("document.getElementById('history').scrollIntoView()")
    page.settle(0.1)
    shot = os.path.join(artifacts, "ship-history.png")
    page.screenshot(shot)
    page.close()
    return ok and not problems and drawn and lines == 3 and episodes == 3 and bars == 4 and nav


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--chromium")
    args = ap.parse_args()
    assure = os.path.abspath(args.assure)
    root = os.path.abspath(args.root)
    chromium = args.chromium or cdp.find_chromium()
    if not chromium:
        print("FAIL chromium is not installed (scripts/install-deps.sh installs it)")
        return 1
    os.makedirs(args.artifacts, exist_ok=True)
    failures = 0

    def check(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    with tempfile.TemporaryDirectory(prefix="assure-report-browser-") as tmp:
        cases = []  # (label, cwd, files, sections)
        for ex in EXAMPLES:
            files = sorted(os.path.join("examples", ex, f)
                           for f in os.listdir(os.path.join(root, "examples", ex))
                           if f.endswith(".assure"))
            cases.append((ex, root, files, None))
        twin = os.path.join(tmp, "twin")
        shutil.copytree(os.path.join(root, "examples", "autonomous-ship"), twin)
        perception = os.path.join(twin, "perception.assure")
        text = open(perception, encoding="utf-8").read()
        assert "valid_until: 2027-03-31" in text
        open(perception, "w", encoding="utf-8").write(
            text.replace("valid_until: 2027-03-31", "valid_until: 2026-03-31", 1))
        twin_files = ["navigation.assure", "perception.assure"]
        cases.append(("ship-expired-twin", twin, twin_files, None))
        cases.append(("ship-expired-twin-lazy", twin, twin_files, "lazy"))

        with cdp.Browser(chromium) as browser:
            for label, cwd, files, sections in cases:
                out = os.path.join(tmp, label + ".html")
                proof = prove_json(assure, files, cwd)
                extra = ["--sections", sections] if sections else []
                code, said = report(assure, files, out, cwd, *extra)
                check(code == proof["exit_code"],
                      f"{label}: report exits {code} like prove ({proof['exit_code']})")
                claims = [c["name"] for c in proof["claims"]]
                tops = [(t["name"], t["verdict"]) for t in proof["top_claims"]]
                page = browser.open("file://" + out)
                problems = page_problems(page, claims, tops, lazy=sections == "lazy")
                for p in problems:
                    print("     " + p)
                check(not problems, f"{label}: no console error or request; all "
                                    f"{len(claims)} claims have a section; top verdicts agree")
                check(search_finds(page, claims[-1]),
                      f"{label}: the search box finds {claims[-1]} and leads to it")
                shot = os.path.join(args.artifacts, label + ".png")
                page.evaluate("location.hash = ''; window.scrollTo(0, 0)")
                page.screenshot(shot)
                check(os.path.getsize(shot) > 10000, f"{label}: screenshot {shot}")
                page.close()
                if label == "ship-expired-twin":
                    check(proof["exit_code"] == 5 and "expired" in open(out).read(),
                          f"{label}: the expired evidence fails the case, and the page says so")

            # The History section (report --history) on a history recorded on the twin.
            check(history_page(browser, assure, root, tmp, args.artifacts, check),
                  "ship-history: the History section")

            # The checker can fail.
            bad = os.path.join(tmp, "throws.html")
            open(bad, "w").write("<!DOCTYPE html><title>t</title><p>x</p>"
                                 "<script>throw new Error('boom')</script>")
            page = browser.open("file://" + bad)
            check(any("boom" in p for p in page_problems(page)),
                  "negative: a page that throws is caught")
            page.close()
            bad = os.path.join(tmp, "fetches.html")
            open(bad, "w").write("<!DOCTYPE html><title>t</title>"
                                 "<img src=\"http://127.0.0.1:9/x.png\">")
            page = browser.open("file://" + bad)
            check(any("network request" in p for p in page_problems(page)),
                  "negative: a page that requests the network is caught")
            page.close()
            ship = os.path.join(tmp, "autonomous-ship.html")
            html = open(ship, encoding="utf-8").read()
            cut = re.sub(r'<section class="el [^"]*" id="d-ship\.perception\.G_fog">.*?'
                         r'</section>', "", html, count=1, flags=re.S)
            assert cut != html
            bad = os.path.join(tmp, "cut.html")
            open(bad, "w", encoding="utf-8").write(cut)
            page = browser.open("file://" + bad)
            check(any("G_fog has no section" in p
                      for p in page_problems(page, ["ship.perception.G_fog"])),
                  "negative: a report missing a claim's section is caught")
            page.close()

        # The page as `chromium --dump-dom` prints it has every claim too.
        ex_files = cases[0][2]
        dump = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                               "--user-data-dir=" + os.path.join(tmp, "profile"),
                               "--dump-dom", "file://" + os.path.join(tmp, EXAMPLES[0] + ".html")],
                              capture_output=True, text=True, timeout=60).stdout
        names = [c["name"] for c in prove_json(assure, ex_files, root)["claims"]]
        check(all(f'id="{anchor(n)}"' in dump for n in names),
              f"{EXAMPLES[0]}: --dump-dom shows all {len(names)} claims' sections")

    print(f"{failures} failure(s)" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
