"""Back Pain Pathways site generator: an MkDocs plugin plus Markdown extensions."""
