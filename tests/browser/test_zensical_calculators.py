"""Calculators of the Zensical build (`guidesite prepare`, then `zensical build`) run in
headless Chromium on the engine files prepare wrote: the MkDocs build's keyboard tests,
run again on this module's `built_site`."""

from __future__ import annotations

import pytest

from tests.browser import test_calculators
from tests.browser.test_calculators import watched
from tests.generator.test_zensical_build import built_site

pytestmark = pytest.mark.browser
FIXTURES = (watched, built_site)  # pytest finds them as names of this module

test_pain_relief_by_keyboard = test_calculators.test_pain_relief_by_keyboard
test_odi_by_keyboard = test_calculators.test_odi_by_keyboard
test_next_step_by_keyboard = test_calculators.test_next_step_by_keyboard
