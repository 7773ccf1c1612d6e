"""Articles in, searchable chunks out: loading, cleaning, chunking, embedding and the Chroma store."""
