"""The kernel every stage imports: configuration, errors, the chunk type, script
normalization and numerals. It imports no stage."""
