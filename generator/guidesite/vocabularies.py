"""Names that Python, the Jinja templates, the browser JavaScript and the stylesheets share,
declared once: page audiences and review statuses, the citation mark and reference anchors,
and the ids of calculator form fields.

Templates see this module as the global `vocab` (`expose_to`); the browser receives what it
needs as data (`browser_names`, written into each calculator's embedded data, and the
audience list in every page's head). Stylesheets spell some of these names literally;
tests/generator/test_vocabularies.py checks they match.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import jinja2


@dataclass(frozen=True)
class Audience:
    """Whom a page is written for, and the words the site uses about them."""

    name: str  # the front-matter value, also a CSS class and data-attribute value
    badge: str  # the badge on a page and in lists
    plural: str  # "written for clinicians"
    person: str  # the audience switch: "I am a clinician"
    schema_type: str  # schema.org MedicalAudience audienceType


@dataclass(frozen=True)
class Status:
    """A step of clinical review, in the order a page goes through them."""

    name: str  # the front-matter value; Material shows it as `md-status--{name}` in the nav
    step: str  # the step's name in a page's review tracker


CLINICIAN = Audience("clinician", "For clinicians", "clinicians", "a clinician", "Clinician")
PATIENT = Audience("patient", "For patients", "patients", "a patient", "Patient")
AUDIENCES = (CLINICIAN, PATIENT)
AUDIENCE_NAMES = tuple(audience.name for audience in AUDIENCES)

STATUSES = (
    Status("submitted", "Submitted"),
    Status("under-review", "Under review"),
    Status("approved", "Approved"),
)
STATUS_NAMES = tuple(status.name for status in STATUSES)
APPROVED = STATUSES[-1].name

# The <sup> that holds a citation's numbered links, in page text and in calculator results.
CITATION_MARK_CLASS = "gs-cite"
REFERENCE_ANCHOR_PREFIX = "ref-"

# A form field's id is the form's id, this separator and the dotted input path that run()
# reports errors at (`items.3`, `episodes.0.weeks`); help and error texts add a suffix.
FIELD_ID_SEPARATOR = "--"


def audience(name: str) -> Audience:
    """The audience a front-matter value names."""
    return next(a for a in AUDIENCES if a.name == name)


def status(name: str) -> Status:
    """The review step a front-matter value names."""
    return next(s for s in STATUSES if s.name == name)


def reference_anchor(key: str) -> str:
    """The id of bibliography entry `key` in a page's References list."""
    return f"{REFERENCE_ANCHOR_PREFIX}{key}"


def citation_anchor(key: str, number: int) -> str:
    """The id of a page's `number`-th link to `key` (1-based), which its entry links back to."""
    return f"cite-{key}-{number}"


def field_id(form_id: str, path: str) -> str:
    """The id of the control (or group) for input `path` in form `form_id`."""
    return f"{form_id}{FIELD_ID_SEPARATOR}{path}"


def browser_names() -> dict[str, str]:
    """What the calculator runtime needs of these names (assets/engine/contracts.js)."""
    return {
        "citationMarkClass": CITATION_MARK_CLASS,
        "referenceAnchorPrefix": REFERENCE_ANCHOR_PREFIX,
        "fieldIdSeparator": FIELD_ID_SEPARATOR,
    }


def expose_to(env: jinja2.Environment) -> None:
    """Make this module the templates' global `vocab` (`vocab.field_id(...)`, `vocab.AUDIENCES`)."""
    env.globals["vocab"] = sys.modules[__name__]
