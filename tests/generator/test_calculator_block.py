"""The calculator blocks: forms, rules and worked examples from spec(), and loud mistakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import markdown
import pytest
from bs4 import BeautifulSoup

import calculators
from guidesite.content.problems import LineProblem
from guidesite.extensions.calculator_block import CalculatorExtension
from guidesite.extensions.callouts import CalloutsExtension
from guidesite.extensions.citations import CitationsExtension
from guidesite.extensions.reporting import ProblemLog
from tests.conftest import ROOT, run_build
from tests.generator.conftest import THIS_SITE


@dataclass
class Rendered:
    soup: BeautifulSoup
    problems: list[LineProblem]


Convert = Callable[[str], Rendered]


@pytest.fixture
def calc() -> Convert:
    """Markdown with the calculator blocks alone, as a site without MkDocs would use them."""

    def convert(text: str) -> Rendered:
        extension = CalculatorExtension(**THIS_SITE, problems=ProblemLog())
        html = markdown.Markdown(extensions=[extension]).convert(dedent(text))
        return Rendered(BeautifulSoup(html, "html.parser"), extension.problems)

    return convert


def embed(name: str, options: str = "") -> str:
    return f"/// calculator | {name}\n{options}///\n"


@pytest.mark.parametrize("name", calculators.names())
def test_every_control_has_a_label_and_its_descriptions_exist(calc: Convert, name: str) -> None:
    page = calc(embed(name))
    assert page.problems == []
    form = page.soup.select_one(f"form.gs-calculator[data-calculator={name}]")
    assert form is not None
    for control in form.select("input, select"):
        if control.find_parent("template"):
            continue
        labelled = (
            control.find_parent("label") is not None
            or form.select_one(f'label[for="{control["id"]}"]') is not None
            or control.has_attr("aria-label")
        )
        assert labelled, control
    for described in form.select("[aria-describedby]"):
        for target in described["aria-describedby"].split():
            assert form.select_one(f'[id="{target}"]') is not None, target
    assert form.select_one("[data-engine-status]") is not None
    assert form.select_one("[data-result][aria-live=polite]") is not None


@pytest.mark.parametrize("name", calculators.names())
def test_labels_help_and_choices_come_from_spec(calc: Convert, name: str) -> None:
    text = calc(embed(name)).soup.get_text(" ")
    for field in calculators.spec(name)["inputs"]:
        nested = [*(field["items"] or []), *(field["fields"] or []), field]
        for part in nested:
            assert part["label"] in text
            for choice in part["choices"] or []:
                assert choice["label"] in text


def test_prefill_sets_the_controls_and_shows_a_build_time_result(calc: Convert) -> None:
    page = calc(embed("pain_relief", "    prefill:\n      baseline_nrs: 8\n      current_nrs: 2\n"))
    assert page.problems == []
    form = page.soup.form
    assert form.select_one('input[name="baseline_nrs"]')["value"] == "8"
    result = form.select_one("[data-result]")
    assert result.select_one("[data-result-origin]") is not None
    assert result.select_one(".gs-output--relief_pct dd").get_text().strip() == "75 %"


def test_a_plan_lists_steps_avoid_and_the_rules_that_fired(calc: Convert) -> None:
    inputs = calculators.spec("next_step")["examples"][0]["inputs"]
    options = "    prefill:\n" + "".join(
        f"      {key}: {value!r}\n".replace("'", "") for key, value in inputs.items()
    )
    result = calc(embed("next_step", options)).soup.select_one("[data-result]")
    expected = calculators.run("next_step", inputs)["result"]
    steps = [li.select_one(".gs-item-title").text for li in result.select(".gs-steps > li")]
    assert steps == [item["title"] for item in expected["steps"]]
    assert len(result.select(".gs-avoid > li")) == len(expected["avoid"])
    assert [code.text for code in result.select(".gs-trace code")] == expected["trace"]


def test_a_v2_plan_shows_offer_consider_in_words_and_later_items_with_their_condition(
    calc: Convert,
) -> None:
    example = calculators.spec("next_step")["examples"][0]
    options = "    prefill:\n" + "".join(
        f"      {key}: {value!r}\n".replace("'", "") for key, value in example["inputs"].items()
    )
    page = calc(embed("next_step", options)).soup
    result = page.select_one("[data-result]")
    expected = calculators.run("next_step", example["inputs"])["result"]
    assert expected["later"], "the first worked example should have a later item"
    strengths = [span.text for span in result.select(".gs-steps > li > .gs-strength")]
    assert strengths == [
        {"offer": "Offer", "consider": "Consider"}[i["strength"]] for i in expected["steps"]
    ]
    later = result.select(".gs-later > li")
    assert [li.select_one(".gs-when").text for li in later] == [
        i["when"] for i in expected["later"]
    ]
    headings = [p.text for p in result.select(".gs-result-heading")]
    assert headings == ["Do now", "If this does not work", "Avoid for now"]


def test_records_render_rows_and_a_template_for_new_ones(calc: Convert) -> None:
    options = "    prefill:\n      medications:\n        - {drug: morphine, daily_dose: 30}\n"
    form = calc(embed("mme", options)).soup.form
    rows = form.select("[data-record-rows] > [data-record-row]")
    assert len(rows) == 1
    assert rows[0].select_one("select")["name"] == "medications.0.drug"
    template = form.select_one("template[data-record-template]")
    assert "data-record-row" in str(template)
    assert 'name="medications.__index__.drug"' in str(template)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("intro\n\n/// calculator | no_such\n///\n", 3, "unknown calculator 'no_such'"),
        (embed("pain_relief", "    prefill:\n      baseline_nrs: 11\n"), 1, "baseline_nrs"),
        (embed("odi", "    prefill:\n      itemz: [1]\n"), 1, "itemz"),
        (embed("next_step", "    prefill: [1, 2]\n"), 1, "'prefill' must map"),
        ("\n\n" + embed("odi", "    colour: red\n"), 3, "was not understood"),
        ("/// calculator\n///\n", 1, "was not understood"),
        ("/// calculator | odi\n\nSome text.\n\n///\n", 1, "takes no content"),
        (
            embed("odi", "  prefill:\n    items: [1]\n"),
            1,
            "takes no content; indent the options by 4 spaces under the block line",
        ),
        ("/// calculator-rules | mme\n    flowchart: maybe\n///\n", 1, "was not understood"),
    ],
)
def test_mistakes_are_reported_at_their_line(
    calc: Convert, text: str, line: int, fragment: str
) -> None:
    page = calc(text)
    assert [p.line for p in page.problems] == [line]
    assert fragment in page.problems[0].message
    # A rejected block never leaks its header into the page as text.
    if "not understood" not in fragment:
        assert "/// calculator" not in page.soup.get_text()


def test_block_syntax_inside_fenced_code_is_left_alone() -> None:
    extension = CalculatorExtension(**THIS_SITE)
    text = "```markdown\n/// calculator | nothing\n///\n```\n"
    html = markdown.Markdown(extensions=["fenced_code", extension]).convert(text)
    assert extension.problems == []
    assert "/// calculator | nothing" in html


def test_syntax_mistakes_are_reported_once_beside_the_call_out_check() -> None:
    # A log each, so a mistake reported by both would count twice.
    calculator = CalculatorExtension(**THIS_SITE, problems=ProblemLog())
    callouts = CalloutsExtension(problems=ProblemLog())
    markdown.Markdown(extensions=[callouts, calculator]).convert(embed("odi", "    bad: 1\n"))
    assert len(calculator.problems) + len(callouts.problems) == 1


def test_citations_in_the_calculator_are_numbered_with_the_page() -> None:
    citations = CitationsExtension(bibliography=str(ROOT / "content" / "references.bib"))
    text = "Text [@lee2013].\n\n" + embed("odi")
    html = markdown.Markdown(extensions=[citations, CalculatorExtension(**THIS_SITE)]).convert(text)
    soup = BeautifulSoup(html, "html.parser")
    assert citations.cited[0] == "lee2013"
    sources = soup.select(".gs-calc-sources a")
    assert [a["href"] for a in sources] == ["#ref-fairbank2000", "#ref-ostelo2008"]
    assert [a.text for a in sources] == ["2", "3"]


def test_rules_block_lists_every_rule_and_draws_a_flowchart(calc: Convert) -> None:
    soup = calc("/// calculator-rules | next_step\n    flowchart: true\n///\n").soup
    rules = calculators.spec("next_step")["rules"]
    assert len(soup.select(".gs-rule-list > li")) == len(rules)
    chart = soup.select_one(".gs-flowchart svg[role=img]")
    # Named for assistive technology: its title, then the rules in order.
    assert chart.select_one("title").text.startswith(calculators.spec("next_step")["title"])
    assert chart["aria-labelledby"] == f"{chart.title['id']} {chart.desc['id']}"
    # A box's lines joined back: a code wraps at a hyphen or mid-word, a title at spaces.
    boxes = [
        [text.text for text in box.select("text")] for box in chart.select("g.gs-flowchart-rule")
    ]
    numbered = list(dict.fromkeys(f"Rule {r['number']}: {r['title']}" for r in rules))
    assert len(boxes) == len(numbered) == 16  # rules 1-15 and 8b
    for box, title in zip(boxes, numbered, strict=True):
        assert " ".join(box).startswith(title)
    assert chart.desc.text.count("Rule ") == 16
    for rule in rules:  # every code a rule places is in its box
        title = f"Rule {rule['number']}: {rule['title']}"
        box = "".join(boxes[numbered.index(title)]).replace(" ", "")
        assert all(code in box for place in ("steps", "later", "avoid") for code in rule[place])
    # Drawn at build time: nothing for a script to render.
    assert not soup.select(".mermaid")


def test_flowchart_boxes_hold_their_lines(calc: Convert) -> None:
    """Every box is tall enough for its lines, and every line fits its width at 0.6 em a
    character; boxes of a column do not overlap; the picture's size holds every box."""
    chart = calc("/// calculator-rules | next_step\n    flowchart: true\n///\n").soup.svg
    width, height = int(chart["width"]), int(chart["height"])
    size = int(chart["font-size"])
    placed: list[tuple[int, int, int, int]] = []
    for box in chart.select("g.gs-flowchart-rule"):
        rect = box.rect
        x, y, w, h = (int(rect[key]) for key in ("x", "y", "width", "height"))
        assert x + w <= width and y + h <= height
        for text in box.select("text"):
            assert y < int(text["y"]) - size and int(text["y"]) < y + h
            assert int(text["x"]) + len(text.text) * size * 0.6 <= x + w
        assert all(x != other_x or y >= oy + oh or y + h <= oy for other_x, oy, _, oh in placed)
        placed.append((x, y, w, h))


def test_rules_block_gives_every_item_its_place_strength_condition_and_reason(
    calc: Convert,
) -> None:
    soup = calc("/// calculator-rules | next_step\n///\n").soup
    rules = calculators.spec("next_step")["rules"]
    for rule in rules:
        shown = soup.select_one(f"#rule-next_step-{rule['id']}")
        assert f"Rule {rule['number']} ({rule['title']}):" in shown.text
        items = shown.select(".gs-rule-items > li")
        assert len(items) == len(rule["items"])
        for item, line in zip(rule["items"], items, strict=True):
            text = line.text
            assert item["why"] in text
            if item["place"] == "later":
                assert text.startswith("If this does not work:") and item["when"] in text
            if item["place"] != "avoid":
                assert "(Offer)" in text or "(Consider)" in text
            if item["only_if"]:
                assert f"if {item['only_if']}" in text
    repeat = soup.select_one("#rule-next_step-epidural-sustained-response").text
    assert "Repeat image-guided epidural at the same level (Consider)" in repeat


def test_the_planner_shows_its_scope_beside_the_form(calc: Convert) -> None:
    scope = calculators.spec("next_step")["scope"]
    shown = calc(embed("next_step")).soup.select_one("form.gs-calculator .gs-calc-scope")
    assert scope["for"] in shown.text
    assert [li.text for li in shown.select("li")] == scope["not_for"]
    assert calc(embed("odi")).soup.select_one(".gs-calc-scope") is None


@pytest.mark.parametrize("name", calculators.names())
def test_worked_examples_are_recomputed(calc: Convert, name: str) -> None:
    page = calc(f"/// calculator-examples | {name}\n///\n")
    assert page.problems == []
    examples = calculators.spec(name)["examples"]
    assert len(page.soup.select(".gs-example")) == len(examples)


def test_a_bad_block_fails_the_site_build_with_page_and_line(
    project_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The venv's editable install may map `calculators` to a namespace package when run
    # outside the checkout; put the checkout first so the real package is imported.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    page = project_copy / "content" / "calculators" / "odi.md"
    text = page.read_text() + "\n/// calculator | odi\n    prefill:\n      items: [9]\n///\n"
    page.write_text(text)
    line = text.count("\n", 0, text.rindex("/// calculator | odi")) + 1
    result = run_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"content/calculators/odi.md:{line}: calculator 'odi': items:" in result.stderr
