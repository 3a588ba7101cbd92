"""Generates a realistic sample network: for newcomers to explore and for benchmarks."""
