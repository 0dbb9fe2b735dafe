#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The GitHub Actions workflow and the GitLab CI job of docs/ci.md, run as CI would run them.

Reads the YAML blocks after `<!-- tested: github-actions -->` and `<!-- tested: gitlab-ci -->`,
and runs their shell commands in a temporary git repository holding a copy of
examples/autonomous-ship and an assure.lock made by `assure lock` (with `assure` on PATH):
GitHub's `run:` steps (not the installation; after a failed step only those with
`if: always()`), with GITHUB_STEP_SUMMARY set; GitLab's `script:` (not `before_script:`, which
installs). Three events: a push (the prove jobs: exit code as `assure prove`'s own), a pull
request that changes nothing (impact: 0) and one whose sea-fog campaign fails (impact: 5).
Every file the commands name, the upload steps take and the artifacts list must be written and
valid (ci_formats.py).

  test_ci_docs.py --assure BIN --root REPO
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

import ci_formats
from harness import arguments, copy_case, expect, finish, read, tracked_files, write

ROOT = ""
ASSURE = ""
OPTION_CHECKS = {"--junit": ci_formats.check_junit, "--sarif": ci_formats.check_sarif,
                 "--markdown": ci_formats.check_markdown,
                 "--gitlab-cq": ci_formats.check_gitlab}


def block(doc, tag):
    m = re.search(r"<!-- tested: " + re.escape(tag) + r" -->\n```yaml\n(.*?)\n```", doc, re.S)
    if not m:
        raise SystemExit(f"docs/ci.md has no YAML block after <!-- tested: {tag} -->")
    return yaml.safe_load(m.group(1))


def named_files(script, env):
    """(option, path) of every CI output a script's commands name."""
    found = []
    for line in script.replace("\\\n", " ").splitlines():
        words = shlex.split(os.path.expandvars(line)) if line.strip() else []
        for k, w in enumerate(words[:-1]):
            if w in OPTION_CHECKS:
                found.append((w, words[k + 1]))
    return found


def check_file(label, repo, path, check):
    full = os.path.join(repo, path)
    if not os.path.exists(full):
        expect(f"{label}: {path} is written", False)
        return
    try:
        check(read(full).decode())
        expect(f"{label}: {path} is written and valid", True)
    except Exception as e:  # noqa: BLE001 - any failure of the check is the test's
        expect(f"{label}: {path} is written and valid", False, repr(e)[:300])


def shell_env(repo, extra):
    env = dict(os.environ)
    env["PATH"] = os.path.join(repo, "..", "bin") + os.pathsep + env.get("PATH", "")
    env["ASSURE_STDLIB"] = os.path.join(ROOT, "stdlib")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def event_of_github(job):
    cond = str(job.get("if", ""))
    return "pull_request" if "pull_request" in cond else "push" if "push" in cond else "any"


def run_github(workflow, event, repo, label):
    """Runs the jobs of `event`; {job: [(step name, exit code, script)]}."""
    ran = {}
    for name, job in workflow["jobs"].items():
        if event_of_github(job) not in (event, "any"):
            continue
        env = {}
        env.update(workflow.get("env") or {})
        env.update(job.get("env") or {})
        summary = os.path.join(repo, "..", f"summary-{name}-{event}.md")
        write(summary, "")
        env["GITHUB_STEP_SUMMARY"] = summary
        failed = False
        steps = []
        for step in job["steps"]:
            if "run" not in step:
                for key in ("sarif_file", "path"):
                    value = (step.get("with") or {}).get(key)
                    if value:
                        expect(f"{label}: {name}: the file `{step.get('uses')}` uploads exists",
                               os.path.exists(os.path.join(repo, value)), value)
                continue
            if step.get("name") == "Install assure":
                continue
            if failed and "always()" not in str(step.get("if", "")):
                continue
            e = shell_env(repo, env)
            p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                                step["run"]], cwd=repo, env=e, capture_output=True, timeout=600)
            steps.append((step.get("name", ""), p.returncode, step["run"], env))
            failed = failed or p.returncode != 0
        ran[name] = (steps, summary)
    return ran


def event_of_gitlab(job):
    rules = " ".join(str(r.get("if", "")) for r in job.get("rules") or [])
    return ("merge_request" if "merge_request_event" in rules else
            "push" if '"push"' in rules else "any")


def run_gitlab(pipeline, event, repo):
    ran = {}
    variables = pipeline.get("variables") or {}
    for name, job in pipeline.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        if event_of_gitlab(job) not in (event, "any"):
            continue
        env = dict(variables)
        env.update(job.get("variables") or {})
        script = "\n".join(job["script"])
        p = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=shell_env(repo, env),
                           capture_output=True, timeout=600)
        ran[name] = (p.returncode, script, env, job)
    return ran


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=assure tests", "-c", "user.email=tests@invalid",
                    *args], cwd=repo, check=True, capture_output=True)


def main():
    global ASSURE, ROOT
    ASSURE, ROOT = arguments()
    with open(os.path.join(ROOT, "docs", "ci.md"), encoding="utf-8") as f:
        doc = f.read()
    workflow = block(doc, "github-actions")
    pipeline = block(doc, "gitlab-ci")
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "bin"))
        os.symlink(ASSURE, os.path.join(tmp, "bin", "assure"))
        src = os.path.join(ROOT, "examples", "autonomous-ship")
        repo = copy_case(src, os.path.join(tmp, "repo"), tracked_files(src))
        git(repo, "init", "-q")
        case = os.path.expandvars(str((workflow.get("env") or {}).get("ASSURE_CASE", "")))
        p = subprocess.run([ASSURE, "lock"] + case.split(), cwd=repo,
                           env=shell_env(repo, {}), capture_output=True)
        expect("setup: assure lock", p.returncode == 0, p.stderr[:300])
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "the case and its lock")
        reference = subprocess.run([ASSURE, "prove"] + case.split(), cwd=repo,
                                   env=shell_env(repo, {}), capture_output=True).returncode
        expect("setup: the case proves to a verdict", reference in (0, 3, 5), reference)

        def outputs_ok(label, script, env):
            for option, path in named_files(script, env):
                check_file(label, repo, path, OPTION_CHECKS[option])

        def scenario(event, gh_event, want):
            git(repo, "clean", "-fdxq")  # no output of an earlier event counts
            gh = run_github(workflow, gh_event, repo, "github " + event)
            expect(f"github {event}: a job runs", bool(gh))
            for name, (steps, summary) in gh.items():
                main_steps = [s for s in steps if "assure " in s[2] and "cat " not in s[2]]
                expect(f"github {event}: {name}: the assure step ran", bool(main_steps))
                for step_name, code, script, env in main_steps:
                    expect(f"github {event}: {name}: `{step_name}` exits {want}", code == want,
                           code)
                    outputs_ok(f"github {event}: {name}", script, env)
                others = [s for s in steps if s not in main_steps]
                expect(f"github {event}: {name}: the other steps succeed",
                       all(code == 0 for _, code, _, _ in others), others)
                expect(f"github {event}: {name}: the job summary is the Markdown",
                       read(summary).startswith(b"<!-- assure-markdown"))
            gl = run_gitlab(pipeline, "merge_request" if gh_event == "pull_request" else "push",
                            repo)
            expect(f"gitlab {event}: a job runs", bool(gl))
            for name, (code, script, env, job) in gl.items():
                expect(f"gitlab {event}: {name} exits {want}", code == want, code)
                outputs_ok(f"gitlab {event}: {name}", script, env)
                artifacts = job.get("artifacts") or {}
                reports = artifacts.get("reports") or {}
                if "junit" in reports:
                    check_file(f"gitlab {event}: {name} junit report", repo, reports["junit"],
                               ci_formats.check_junit)
                if "codequality" in reports:
                    check_file(f"gitlab {event}: {name} code quality report", repo,
                               reports["codequality"], ci_formats.check_gitlab)
                for path in artifacts.get("paths") or []:
                    expect(f"gitlab {event}: {name}: artifact {path} exists",
                           os.path.exists(os.path.join(repo, path)))

        scenario("push", "push", reference)
        scenario("pull request changing nothing", "pull_request", 0)
        text = read(os.path.join(repo, "perception.assure")).decode()
        start = text.index("evidence E_fog_sea")
        end = text.index("result: pass", start)
        write(os.path.join(repo, "perception.assure"),
              text[:end] + "result: fail" + text[end + len("result: pass"):])
        git(repo, "commit", "-q", "-am", "the sea-fog campaign fails")
        scenario("pull request failing a campaign", "pull_request", 5)
        shutil.rmtree(os.path.join(tmp, "bin"))
    return finish()


if __name__ == "__main__":
    sys.exit(main())
