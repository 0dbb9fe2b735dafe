# SPDX-License-Identifier: Apache-2.0
"""Checks of the CI outputs of assure prove and impact (docs/ci.md), shared by test_ci.py and
test_ci_docs.py. Each check raises AssertionError naming what is wrong.

- JUnit XML: well formed, <testsuites>/<testsuite>/<testcase> as the common JUnit schema has
  them, and every count attribute equal to what it counts.
- SARIF: valid against tests/schemas/sarif-2.1.0-assure-subset.json (a strict schema of the
  subset assure writes, made from the SARIF 2.1.0 specification) and, when the environment
  variable ASSURE_SARIF_SCHEMA names a copy of the official schema, against that too; every
  ruleIndex points at its ruleId's descriptor.
- GitLab Code Quality: an array of issues with the fields GitLab reads, fingerprints unique.
- Markdown: carries its marker, fits in a pull-request comment.
- GitHub workflow commands: at most 10 annotations of each kind, every line a command or plain.
"""
import json
import os
import re
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SUBSET_SCHEMA = os.path.join(HERE, "..", "schemas", "sarif-2.1.0-assure-subset.json")


def check_junit(text):
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites", root.tag
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root:
        assert suite.tag == "testsuite", suite.tag
        assert suite.get("name"), "a testsuite without a name"
        cases = [c for c in suite if c.tag == "testcase"]
        counts = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        for key, value in counts.items():
            assert int(suite.get(key)) == value, (suite.get("name"), key, suite.get(key), value)
            totals[key] += value
        for c in cases:
            assert c.get("name") and c.get("classname"), "a testcase without name or classname"
            outcomes = [x for x in c if x.tag in ("failure", "error", "skipped")]
            assert len(outcomes) <= 1, c.get("name")
            if c.get("line") is not None:
                assert int(c.get("line")) >= 1 and c.get("file"), c.get("name")
        for child in suite:
            assert child.tag in ("testcase", "properties"), child.tag
    for key, value in totals.items():
        assert int(root.get(key)) == value, ("testsuites", key, root.get(key), value)
    return root


def check_sarif(text):
    import jsonschema
    doc = json.loads(text)
    with open(SUBSET_SCHEMA, encoding="utf-8") as f:
        jsonschema.validate(doc, json.load(f), format_checker=jsonschema.FormatChecker())
    official = os.environ.get("ASSURE_SARIF_SCHEMA")
    if official:
        with open(official, encoding="utf-8") as f:
            jsonschema.validate(doc, json.load(f))
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids)), ids
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"], r["ruleId"]
    return doc


def check_gitlab(text):
    issues = json.loads(text)
    assert isinstance(issues, list)
    fingerprints = set()
    for issue in issues:
        for key in ("description", "check_name", "fingerprint", "severity", "location"):
            assert key in issue, key
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] and not issue["location"]["path"].startswith("/")
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["fingerprint"] not in fingerprints, issue["fingerprint"]
        fingerprints.add(issue["fingerprint"])
    return issues


def check_markdown(text):
    assert text.startswith("<!-- assure-markdown"), text[:80]
    assert len(text) < 65536, len(text)
    return text


COMMAND = re.compile(r"^::(error|warning|notice)( [^:]*)?::(.*)$")


def check_github(text):
    counts = {"error": 0, "warning": 0, "notice": 0}
    lines = text.splitlines()
    assert lines and lines[-1].startswith("assure "), "no summary line"
    for line in lines:
        m = COMMAND.match(line)
        if m:
            counts[m.group(1)] += 1
            props = m.group(2) or ""
            for prop in props.strip().split(","):
                if prop:
                    key, _, value = prop.partition("=")
                    assert key in ("file", "line", "col", "title"), key
                    assert "," not in value and ":" not in value
        else:
            assert not line.startswith("::") or line.startswith("::group::") or \
                line == "::endgroup::", line
    for kind, n in counts.items():
        assert n <= 10, (kind, n)
    return counts
