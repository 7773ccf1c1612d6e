"""Benchmarks: `python -m bench.ingest`, `python -m bench.query`, `python -m bench.concurrency` (see bench/README.md)."""
