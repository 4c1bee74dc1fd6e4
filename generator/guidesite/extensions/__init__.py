"""The Python-Markdown extensions: citations, call-outs, calculator and recommendation
blocks, and the checks of a page's body."""
