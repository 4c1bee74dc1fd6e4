"""Read and check what editors write: front matter, bibliography, hazard log, cross-page links.

Checks collect `problems.Problem` values (`file:line: what is wrong and how to fix it`);
`guidesite.project.Project` runs them in a build's order for every renderer (the MkDocs plugin,
`guidesite prepare`).
"""
