"""Benchmarks: `make bench` runs every bench/bench_*.py; `make bench ONLY=name` runs one."""
