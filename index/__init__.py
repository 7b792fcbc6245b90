"""Stage 2 of RongZhi: embeddings, the Chroma vector store and the BM25 lexical index on disk."""
