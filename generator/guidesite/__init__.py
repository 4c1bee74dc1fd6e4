"""guidesite, a generator of clinical guideline sites, by stage of a build.

- `content`: read and check what editors write (front matter, bibliography, hazard log).
- `extensions`: the Markdown extensions (citations, call-outs, calculator and
  recommendation blocks, body checks).
- `site`: pages and files the site gets besides the content (home, topics, references,
  dashboard, JSON-LD, theme assets, service worker, icons).
- `kit`: what a site declares its calculators with (standard library only; it runs in the
  browser too).
- `engine`: the calculator engine (Pyodide, the calculators wheel, its memory snapshot).
- `release`: pack a built site and install it on a server.
- `cli`: the `guidesite` command.

`project.py` runs a build's reading and checks, which `plugin.py` wires into MkDocs
(`config.py` declares its options) and `site/prepare.py` into other renderers.
"""

from pathlib import Path

# Templates, browser assets, Node build scripts and page skeletons live beside the code.
PACKAGE_DIR = Path(__file__).parent
