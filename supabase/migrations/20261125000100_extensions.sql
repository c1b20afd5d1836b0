-- pgvector for embeddings and ANN (HNSW, cosine); pg_trgm for title auto-complete.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
