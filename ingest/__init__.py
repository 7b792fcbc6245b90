"""Stage 1 of RongZhi: read documents from the corpus, split them by their real structure.

corpus/ (data) -> ingest/ (documents -> chunks) -> index/ (embeddings, Chroma, BM25) -> assistant/.
"""
