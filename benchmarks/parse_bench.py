"""Parser throughput on the corpus: documents per second and characters per second.

Run from the repository root: ``python benchmarks/parse_bench.py [--seconds 2]``. Not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOCS = REPOSITORY_ROOT / ".." / "shared" / "corpus" / "docs"
sys.path.insert(0, str(REPOSITORY_ROOT))

from minutes.parsing import parse, render  # noqa: E402 - needs the path set above


def measure(function, argument, seconds: float) -> tuple[int, float]:
    """Call ``function(argument)`` repeatedly for about ``seconds``; (calls, elapsed)."""
    calls = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        for _ in range(20):
            function(argument)
        calls += 20
        elapsed = time.perf_counter() - start
    return calls, elapsed


def main() -> None:
    """Print one line per corpus document and one for render + parse of the largest."""
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--seconds", type=float, default=2.0, help="time spent per document")
    options = arguments.parse_args()
    documents = sorted(CORPUS_DOCS.glob("*.txt"))
    print(f"{'document':<30} {'chars':>7} {'docs/s':>9} {'chars/s':>12}")
    total_calls = total_chars = 0
    total_time = 0.0
    for path in documents:
        text = path.read_text(encoding="utf-8")
        calls, elapsed = measure(parse, text, options.seconds)
        total_calls += calls
        total_chars += calls * len(text)
        total_time += elapsed
        print(
            f"{path.stem:<30} {len(text):>7} {calls / elapsed:>9.0f} "
            f"{calls * len(text) / elapsed:>12,.0f}"
        )
    print(
        f"{'all (mixed)':<30} {'':>7} {total_calls / total_time:>9.0f} "
        f"{total_chars / total_time:>12,.0f}"
    )
    largest = max(documents, key=lambda path: path.stat().st_size)
    parsed = parse(largest.read_text(encoding="utf-8"))
    calls, elapsed = measure(render, parsed, options.seconds / 2)
    print(f"render({largest.stem}): {calls / elapsed:,.0f} docs/s")


if __name__ == "__main__":
    main()
