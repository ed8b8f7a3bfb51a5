"""The reliability tests of tests/test_reliability.py with the larger trial counts of `make bench`: a real
`social-listen collect` killed with SIGKILL at random points BENCH_KILL_TRIALS times (default 20) on SQLite and
on PostgreSQL, then re-run (zero lost, zero doubled, cursor consistent); BENCH_REPLY_ATTEMPTS replies (default
1,000) posted through injected failures, including "YouTube accepted it but the answer was lost" (zero posted
twice, zero lost); and the seeded storms of platform errors. Each test asserts its own invariants; this reports
which held, and how long each took. Nothing here is timed against a target.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TESTS = [
    "tests/test_reliability.py::test_collection_killed_at_random_points_resumes_to_every_item_once",
    "tests/test_reliability.py::test_replies_are_never_doubled_nor_lost_when_posting_fails_before_or_after_youtube_accepts",
    "tests/test_reliability.py::test_storm_of_platform_errors_loses_nothing_and_every_run_says_how_it_ended",
]


def outcomes(report: Path) -> dict[str, dict[str, Any]]:
    """Per test case of a JUnit XML report: passed/failed/skipped, seconds, and the failure's first line."""
    found: dict[str, dict[str, Any]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
        outcome = "passed" if problem is None else ("skipped" if problem.tag == "skipped" else "failed")
        entry: dict[str, Any] = {"outcome": outcome, "seconds": round(float(case.get("time", 0)), 1)}
        if problem is not None:
            entry["message"] = (problem.get("message") or "")[:300]
        found[case.get("name", "?")] = entry
    return found


def main() -> None:
    kills = int(os.environ.get("BENCH_KILL_TRIALS", "20"))
    attempts = int(os.environ.get("BENCH_REPLY_ATTEMPTS", "1000"))
    env = {**os.environ, "SL_KILL_TRIALS": str(kills), "SL_REPLY_ATTEMPTS": str(attempts)}
    with tempfile.TemporaryDirectory(prefix="sl-bench-reliability-") as folder:
        report = Path(folder) / "report.xml"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *TESTS],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        seconds = round(time.perf_counter() - started, 1)
        cases = outcomes(report) if report.exists() else {}
    result = {
        "benchmark": "reliability", "kill_trials_per_database": kills, "reply_attempts": attempts,
        "all_held": done.returncode == 0 and bool(cases) and all(c["outcome"] == "passed" for c in cases.values()),
        "tests": cases, "pytest_seconds": seconds,
    }  # fmt: skip
    if done.returncode != 0:
        result["pytest_tail"] = (done.stdout + done.stderr)[-1500:]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
