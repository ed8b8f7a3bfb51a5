"""Run every benchmark in bench/ (each prints one JSON object) and write results.json and results.md.

Each benchmark compares the product against a reference measured in the same run; nothing here asserts a
time. `python -m bench.run [NAME ...]` runs only the named ones (e.g. `backfill queries`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def discover(names: list[str]) -> list[Path]:
    """bench_*.py and *_bench.py files, optionally only those whose name contains one of ``names``."""
    found = sorted({*HERE.glob("bench_*.py"), *HERE.glob("*_bench.py")})
    return [p for p in found if not names or any(n in p.stem for n in names)]


def run_one(path: Path) -> dict[str, Any]:
    """Run one benchmark module in its own process; its last stdout line is its JSON result."""
    started = time.perf_counter()
    module = f"bench.{path.stem}"
    done = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, cwd=HERE.parent)
    seconds = round(time.perf_counter() - started, 1)
    lines = [line for line in done.stdout.splitlines() if line.strip().startswith("{")]
    if done.returncode != 0 or not lines:
        return {"benchmark": path.stem, "error": (done.stderr or done.stdout)[-2000:], "seconds": seconds}
    result: dict[str, Any] = json.loads(lines[-1])
    result.setdefault("benchmark", path.stem)
    result["seconds"] = seconds
    return result


def markdown(results: list[dict[str, Any]]) -> str:
    """A Markdown section per benchmark with its figures (nested figures as dotted names)."""
    parts = ["# Benchmark results", ""]
    for result in results:
        parts += [f"## {result['benchmark']}", "", "| measure | value |", "|---|---|"]
        parts += [f"| {key} | {_show(value)} |" for key, value in _flat(result) if key != "benchmark"]
        parts.append("")
    return "\n".join(parts)


def _flat(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted name, value) for every leaf of nested dicts."""
    rows: list[tuple[str, Any]] = []
    for key, value in values.items():
        name = f"{prefix}{key}"
        rows += _flat(value, f"{name}.") if isinstance(value, dict) and value else [(name, value)]
    return rows


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}"
    if isinstance(value, dict | list):
        return "`" + json.dumps(value, ensure_ascii=False) + "`"
    return str(value)


def main(argv: list[str]) -> int:
    """Run the benchmarks and write bench/results/; exit 1 if any benchmark crashed."""
    RESULTS.mkdir(exist_ok=True)
    results = []
    for path in discover(argv):
        print(f"running {path.stem} ...", file=sys.stderr, flush=True)
        results.append(run_one(path))
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    (RESULTS / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "results.md").write_text(markdown(results))
    print(f"wrote {RESULTS / 'results.json'} and results.md", file=sys.stderr)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
