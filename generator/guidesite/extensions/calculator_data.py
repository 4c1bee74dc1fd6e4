"""What an embedded calculator carries into the page: the starting view and the JSON the
browser runtime reads (the build-time half of the contract in `guidesite.kit.presentation`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from guidesite import vocabularies
from guidesite.kit import presentation
from guidesite.kit.contract import CalculatorSpec, Json, Outcome, View


@dataclass(frozen=True)
class CalculatorView:
    """What the form template needs for one embedded calculator."""

    form_id: str
    spec: CalculatorSpec
    initial: dict[str, Json]
    outcome: Outcome
    site_name: str

    @property
    def shown(self) -> View:
        """The presentation view of the starting result: what the page shows at first."""
        given = {name: value for name, value in self.initial.items() if value is not None}
        return presentation.present(self.spec, given, self.outcome, self.site_name)

    def filled_in(self, names: list[str]) -> int:
        """How many of the inputs `names` start with a value other than their default."""
        defaults = {field["name"]: field["default"] for field in self.spec["inputs"]}
        return sum(1 for name in names if self.initial[name] != defaults[name])


def embedded_data(view: CalculatorView) -> str:
    """The JSON the browser runtime reads; `<`, `>` and `&` are escaped so the text needs no
    HTML escaping and can never close its element."""
    spec = view.spec
    data = {
        # Only what the runtime reads: the inputs it reads and writes the form by, and the
        # starting result's view (copied to a note before the engine has answered). Every
        # calculator page and Q&A page carries this copy.
        "spec": {"name": spec["name"], "inputs": spec["inputs"], "groups": spec["groups"]},
        "initial": view.initial,
        "view": view.shown,
        # The ids and anchors the runtime finds in the page are made from these names.
        "names": vocabularies.browser_names(),
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def sources(spec: CalculatorSpec) -> list[str]:
    """Every reference the calculator or its rules cite, first use first."""
    keys = [*spec["references"], *(key for rule in spec["rules"] for key in rule["refs"])]
    return list(dict.fromkeys(keys))
