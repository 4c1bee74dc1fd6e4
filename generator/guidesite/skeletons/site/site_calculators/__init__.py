"""This site's calculators; mkdocs.yml names this package (`calculators: site_calculators`).

`REGISTRY` lists them in the order the site shows them. `guidesite new-calculator NAME`
writes a new one's module and test and adds it here.
"""

from __future__ import annotations

from guidesite.kit import Registry
from site_calculators import bmi

REGISTRY = Registry((bmi.CALCULATOR,))
