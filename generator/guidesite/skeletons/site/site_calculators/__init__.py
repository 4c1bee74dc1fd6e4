"""This site's calculators, in the order the site lists them; mkdocs.yml names this package.

Add a calculator with `guidesite new-calculator NAME`, which writes its module and test
and lists it here.
"""

from __future__ import annotations

from site_calculators import bmi

CALCULATORS = (bmi.CALCULATOR,)
