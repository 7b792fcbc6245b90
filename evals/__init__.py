"""Answer-quality evaluation: the gold set, metrics, and the report (see evals/README.md)."""
