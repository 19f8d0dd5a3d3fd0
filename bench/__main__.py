"""Run the benchmarks: every module bench/bench_*.py exposing main(); ONLY=name[,name] filters."""
import importlib
import os
import sys
import time
import traceback
from pathlib import Path


def _selected(names: list[str], only: str) -> list[str]:
    """Benches named in ONLY (`load` or `bench_load`), else those whose name contains it."""
    wanted = [w.strip().removeprefix("bench_") for w in only.split(",") if w.strip()]
    return [n for n in names if any(n == f"bench_{w}" for w in wanted)] or [
        n for n in names if any(w in n for w in wanted)]


def main() -> int:
    only = os.environ.get("ONLY", "").strip()
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if only:
        names = _selected(names, only)
    if not names:
        print(f"No benchmark selected by ONLY={only!r}.")
        return 1
    failed = []
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        # One failing bench does not hide the figures of the others; the run still fails.
        try:
            importlib.import_module(f"bench.{name}").main()
        except SystemExit as error:
            print(error)
            failed.append(name)
        except Exception:  # noqa: BLE001 - reported, the run exits 1 at the end
            traceback.print_exc()
            failed.append(name)
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"Failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
