"""Run the benchmarks: every module bench/bench_*.py exposing main(); ONLY=name filters."""
import importlib
import os
import sys
import time
from pathlib import Path


def main() -> int:
    only = os.environ.get("ONLY", "").strip()
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if only:
        names = [n for n in names if only in n]
    if not names:
        print("No benchmark selected.")
        return 1
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        importlib.import_module(f"bench.{name}").main()
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
