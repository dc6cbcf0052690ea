"""Tooling shared by the tests, the benchmarks and the operator scripts."""
