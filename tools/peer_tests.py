# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run Odoo's and OCA's test suites with every installed module loaded; compare.

    python tools/peer_tests.py run RESULT.json -- <odoo server options>
    python tools/peer_tests.py compare WITH_DIR WITHOUT_DIR SUITE...
    python tools/peer_tests.py key [WHAT_ELSE...]

``run`` is Odoo's server command (``--test-tags`` picks the tests,
``--stop-after-init`` ends it) with one difference: every picked test runs
once the registry holds all installed modules, as post-install tests do. Odoo
runs a module's at-install tests while that module loads, before the modules
that depend on it: ``sale_stock``'s would never meet our overrides of
``sale.order``. Each test's outcome, time and traceback go to RESULT.json.

``compare`` reads the RESULT.json files of each suite run with the suite
installed (WITH_DIR/<suite>.json) and without (WITHOUT_DIR/<suite>.json),
prints per suite the tests run, failed and in error on each side, then every
test that fails only with the suite, with its traceback; it exits with 1 when
there is one.

``key`` prints a digest of what the results without the suite depend on (the
versions of Odoo and of the installed OCA addons, and WHAT_ELSE: the modules
installed, the tests picked): results stored under it stay valid until one of
them changes.
"""

import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

RESULTS = {}


def _patch_odoo():
    """Run the at-install tests with the post-install ones, and record each
    test's outcome."""
    from odoo.tests import loader
    from odoo.tests.result import OdooTestResult
    from odoo.tests.suite import OdooSuite

    make_suite = loader.make_suite

    def make_suite_once_loaded(module_names, position="at_install"):
        if position == "at_install":
            return OdooSuite([])
        tests = {}
        for when in ("at_install", "post_install"):
            for test in make_suite(module_names, when):
                tests.setdefault(test.id(), test)
        return OdooSuite(list(tests.values()))

    class RecordingResult(OdooTestResult):
        def startTest(self, test):
            super().startTest(test)
            RESULTS[test.id()] = {"outcome": "ok", "started": time.monotonic()}

        def stopTest(self, test):
            super().stopTest(test)
            entry = RESULTS.get(test.id())
            if entry and "started" in entry:
                entry["seconds"] = round(time.monotonic() - entry.pop("started"), 2)

        def _record(self, test, outcome, err):
            if self._soft_fail:  # a failure Odoo retries
                return
            entry = RESULTS.setdefault(test.id(), {})
            entry["outcome"] = outcome
            entry["error"] = self._exc_info_to_string(err, test)

        def addError(self, test, err):
            super().addError(test, err)
            self._record(test, "error", err)

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._record(test, "fail", err)

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            RESULTS.setdefault(test.id(), {}).update(outcome="skip", error=reason)

    loader.make_suite = make_suite_once_loaded
    loader.OdooTestResult = RecordingResult


def run(result_path, odoo_args):
    _patch_odoo()
    from odoo.cli.command import main

    os.environ.setdefault("ODOO_TEST_MAX_FAILED_TESTS", str(sys.maxsize))
    sys.argv = ["odoo", "server", *odoo_args]
    started = time.monotonic()
    code = 1
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
        raise
    finally:
        for entry in RESULTS.values():
            entry.pop("started", None)
        Path(result_path).write_text(
            json.dumps(
                {
                    "seconds": round(time.monotonic() - started, 1),
                    "exit": code,
                    "tests": RESULTS,
                },
                indent=1,
                sort_keys=True,
            )
        )


def _counts(result):
    tests = result["tests"]
    outcomes = [t.get("outcome") for t in tests.values()]
    run_count = sum(1 for t in tests.values() if "seconds" in t)
    return run_count, outcomes.count("fail"), outcomes.count("error")


def _minutes(seconds):
    return f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _last_lines(text, count=25):
    lines = text.rstrip().splitlines()
    if len(lines) <= count:
        return lines
    return ["...", *lines[-count:]]


def _exception(error):
    """The exception line of a traceback, numbers (record ids) blanked."""
    lines = [line for line in (error or "").splitlines() if line.strip()]
    return re.sub(r"\d+", "#", lines[-1]) if lines else ""


def _findings(suite, with_suite, without):
    """The tests of a suite that fail only with the suite, and those that fail
    on both sides but with another error."""
    if with_suite is None or not with_suite["tests"]:
        return [(suite, "(the run)", "error", "no test ran: see the suite's log")], []
    regressions, changed = [], []
    if with_suite.get("exit") not in (0, 1):
        regressions.append(
            (suite, "(the run)", "error", "Odoo did not end normally: see its log")
        )
    before_tests = without["tests"] if without else {}
    for test_id, entry in sorted(with_suite["tests"].items()):
        if entry.get("outcome") not in ("fail", "error"):
            continue
        finding = (suite, test_id, entry["outcome"], entry.get("error", ""))
        before = before_tests.get(test_id, {})
        if before.get("outcome") not in ("fail", "error"):
            regressions.append(finding)
        elif _exception(before.get("error")) != _exception(entry.get("error")):
            changed.append(finding)
    return regressions, changed


def _print_findings(title, findings):
    print(f"\n{len(findings)} test(s) {title}:")
    for suite, test_id, outcome, error in findings:
        print(f"\n[{suite}] {outcome.upper()}: {test_id}")
        for line in _last_lines(error):
            print(f"    {line}")


def compare(with_dir, without_dir, suites):
    print(f"{'suite':<30} {'with the suite':>28} {'without':>28}")
    print(f"{'':<30} {'run/failed/errors  time':>28} {'run/failed/errors  time':>28}")
    regressions, changed = [], []
    for suite in suites:
        cells, results = [], []
        for folder in (with_dir, without_dir):
            path = Path(folder) / f"{suite}.json"
            result = json.loads(path.read_text()) if path.exists() else None
            results.append(result)
            if result is None:
                cells.append("not run")
                continue
            run_count, failed, errors = _counts(result)
            cells.append(
                f"{run_count}/{failed}/{errors}  {_minutes(result['seconds'])}"
            )
        print(f"{suite:<30} {cells[0]:>28} {cells[1]:>28}")
        found, other_error = _findings(suite, *results)
        regressions += found
        changed += other_error
    if changed:
        _print_findings(
            "fail on both sides but with another error with the suite (to check)",
            changed,
        )
    if not regressions:
        print("\nNo test fails only with the suite.")
        return 0
    _print_findings("fail only with the suite", regressions)
    return 1


def key(extra):
    """What a run without the suite depends on: Odoo, the OCA addons and
    ``extra`` (the modules installed, the tests picked)."""
    import odoo.release

    parts = [f"python {sys.version_info[0]}.{sys.version_info[1]}", *extra]
    parts.append(f"odoo {odoo.release.version}")
    source = Path(odoo.release.__file__).resolve().parent.parent
    revision = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if revision.returncode == 0:
        parts.append(f"odoo source {revision.stdout.strip()}")
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] or ""
        if re.match(r"odoo[-_]addon[-_]", name, re.IGNORECASE):
            parts.append(f"{name.lower()} {dist.version}")
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:16]


def main(argv):
    if len(argv) >= 3 and argv[0] == "run" and argv[2] == "--":
        return run(argv[1], argv[3:])
    if len(argv) >= 4 and argv[0] == "compare":
        return compare(argv[1], argv[2], argv[3:])
    if argv[:1] == ["key"]:
        print(key(argv[1:]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
