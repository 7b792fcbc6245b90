"""Stage 3 of RongZhi: understand a question, retrieve, and compose a cited answer."""
