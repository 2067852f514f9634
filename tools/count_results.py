#!/usr/bin/env python3
"""Prints "N passed, M failed" for a `meson test` run; exits 1 when M > 0 or nothing ran.

Counts every <testcase> of meson's testlog.junit.xml: gtest cases and TAP subtests both appear there
(checked with meson 1.0.1). A test that failed without a failing case of its own (a crash before its
first result, a timeout, a TAP plan that does not add up) is found in testlog.json and counted once.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

FAILED = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS", "INTERRUPT"}


def main(log_dir):
    junit = os.path.join(log_dir, "testlog.junit.xml")
    if not os.path.exists(junit):
        print("0 passed, 1 failed (no test log: nothing ran)")
        return 1
    passed = failed = 0
    suites_with_failures = set()
    for suite in ET.parse(junit).getroot().iter("testsuite"):
        for case in suite.iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                suites_with_failures.add(suite.get("name", ""))
            elif case.find("skipped") is None:
                passed += 1

    json_log = os.path.join(log_dir, "testlog.json")
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

    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build/meson-logs"))
