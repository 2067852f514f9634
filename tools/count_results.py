#!/usr/bin/env python3
"""Prints "N passed, M failed" over one or more `meson test` runs; exits 1 when M > 0 or nothing ran.

Each argument is a log stem: "build/meson-logs/testlog" reads testlog.junit.xml and testlog.json there,
"build-asan/meson-logs/testlog-sanitize" the logs of `meson test --setup sanitize`
("testlog-large-sanitize" with `--logbase testlog-large`).

Counts every <testcase> of meson's testlog.junit.xml: gtest cases and TAP subtests both appear there
(checked with meson 1.0.1). A test that failed without a failing case of its own (a crash before its
first result, a timeout, a TAP plan that does not add up) is found in testlog.json and counted once.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

FAILED = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS", "INTERRUPT"}


def count(stem):
    """(passed, failed) of one run, or None when it left no log."""
    junit = stem + ".junit.xml"
    if not os.path.exists(junit):
        print(f"no test log at {junit}: nothing ran")
        return None
    passed = failed = 0
    suites_with_failures = set()
    for suite in ET.parse(junit).getroot().iter("testsuite"):
        for case in suite.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                suites_with_failures.add(suite.get("name", ""))
            elif case.find("skipped") is None:
                passed += 1

    json_log = stem + ".json"
    if os.path.exists(json_log):
        with open(json_log) as f:
            for line in f:
                if not line.strip():
                    continue
                test = json.loads(line)
                if test.get("result") in FAILED:
                    # junit names a TAP test's suite "<project>.<test name>" and a gtest suite
                    # "<project>.<test name>.<gtest suite>".
                    name = test.get("name", "")
                    if not any(s.endswith("." + name) or f".{name}." in s for s in suites_with_failures):
                        failed += 1
                        print(f"counted as failed: {name} ({test.get('result')})")

    return passed, failed


def main(stems):
    passed = failed = 0
    for stem in stems:
        result = count(stem)
        if result is None:
            failed += 1
            continue
        passed += result[0]
        failed += result[1]
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["build/meson-logs/testlog"]))
