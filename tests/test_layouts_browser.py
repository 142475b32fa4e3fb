"""The layouts of a slide measured in real Chromium (tests/fixtures/layouts, lesson 'compare' in Greek and
Persian: slide 3 two columns, 4 three, 5 a '{.side}' picture first, 6 one last, 8 a statement stage):
side by side in reading order at 1280x720 in the deck, the presenter view and the SCORM package's learner
deck; stacked on a phone (390 px); the handout side by side on a desktop, stacked on a phone. Rectangles,
not looks."""

from __future__ import annotations

import shutil
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.browser

TWO, THREE, SIDE_FIRST, SIDE_LAST, STATEMENT = 3, 4, 5, 6, 8
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from microlearn.site.build import build

    project = tmp_path_factory.mktemp("layouts") / "project"
    shutil.copytree(FIXTURES / "layouts", project)
    return build(project, project / "site", with_pdf=False).out


@pytest.fixture
def opened(browser):
    pages = []

    def open_(path: Path, viewport: dict | None = None, hash_: str = ""):
        page = browser.new_page(viewport=viewport or {"width": 1280, "height": 720})
        pages.append(page)
        page.goto(path.as_uri() + hash_)
        page.wait_for_load_state("load")
        return page

    yield open_
    for page in pages:
        page.close()


# The rectangles of a container's columns (the picture of a '{.side}' column by its <img>), and of the slide.
COLUMNS = """(root) => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const columns = [...root.querySelectorAll('.columns > .column')].map(c => rect(c.classList.contains('side') ? c.querySelector('img') : c));
  return {columns, root: rect(root), page: document.documentElement.scrollWidth};
}"""


def side_by_side(found: dict, rtl: bool) -> None:
    """The columns on one row (each level with the first), none overlapping another, the first on the reading side, all inside."""
    columns, root = found["columns"], found["root"]
    assert len(columns) >= 2, found
    assert all(c["top"] < columns[0]["bottom"] and columns[0]["top"] < c["bottom"] for c in columns), found
    ordered = list(reversed(columns)) if rtl else columns
    assert all(a["right"] <= b["left"] + 0.5 for a, b in pairwise(ordered)), found
    assert all(c["left"] >= root["left"] - 0.5 and c["right"] <= root["right"] + 0.5 for c in columns), found


def stacked(found: dict, width: int) -> None:
    """The columns one under the other, in the order written, none wider than the screen."""
    columns = found["columns"]
    assert len(columns) >= 2, found
    assert all(a["bottom"] <= b["top"] + 0.5 for a, b in pairwise(columns)), found
    assert all(c["right"] <= width + 0.5 and c["left"] >= -0.5 for c in columns), found
    assert found["page"] <= width, found


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_columns_and_a_side_picture_stand_side_by_side_in_reading_order_on_a_projector(site, opened, lang):
    deck = site / lang / "compare" / "index.html"
    for n in (TWO, THREE, SIDE_FIRST, SIDE_LAST):
        page = opened(deck, hash_=f"#{n}")
        found = page.locator(f"#slide-{n} .slide__body").evaluate(COLUMNS)
        side_by_side(found, rtl=lang == "fa")
        assert len(found["columns"]) == (3 if n == THREE else 2)
        assert page.locator(f"#slide-{n} .slide__body").evaluate("b => b.scrollHeight <= b.clientHeight + 1")
    page = opened(deck, hash_=f"#{SIDE_FIRST}")
    picture = page.locator(f"#slide-{SIDE_FIRST} .side img").evaluate("i => i.getBoundingClientRect().height")
    assert picture > 100, "a picture beside the text is not shrunk to nothing"


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_the_presenter_view_shows_the_columns_as_the_room_sees_them(site, opened, lang):
    page = opened(site / lang / "compare" / "index.html", {"width": 1280, "height": 720}, f"?presenter#{TWO}")
    side_by_side(page.locator(".pv__now .slide .slide__body").evaluate(COLUMNS), rtl=lang == "fa")


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_on_a_phone_the_columns_and_the_side_picture_are_stacked(site, opened, lang):
    deck = site / lang / "compare" / "index.html"
    for n in (TWO, THREE, SIDE_FIRST):
        page = opened(deck, PHONE, f"#{n}")
        stacked(page.locator(f"#slide-{n} .slide__body").evaluate(COLUMNS), PHONE["width"])


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_the_statement_is_large_and_centred(site, opened, lang):
    page = opened(site / lang / "compare" / "index.html", hash_=f"#{STATEMENT}")
    found = page.locator(f"#slide-{STATEMENT} .slide__body").evaluate("""(b) => {
      const [statement, next] = b.querySelectorAll('p'), s = getComputedStyle(statement), r = statement.getBoundingClientRect();
      const line = document.createRange(); line.selectNodeContents(statement); const text = line.getBoundingClientRect();
      const body = b.getBoundingClientRect(), pad = parseFloat(getComputedStyle(b).paddingInlineStart);
      return {statement: parseFloat(s.fontSize), text: parseFloat(getComputedStyle(next).fontSize), align: s.textAlign,
              centre: (text.left + text.right) / 2, middle: (body.left + body.right) / 2, cls: statement.className};
    }""")
    assert found["cls"] == "statement"
    assert found["statement"] >= 1.5 * found["text"], found
    assert found["align"] == "center" and abs(found["centre"] - found["middle"]) < 2, found


@pytest.mark.parametrize("lang", ["el", "fa"])
def test_the_handout_sets_the_columns_side_by_side_on_a_desktop_and_stacks_them_on_a_phone(site, opened, lang):
    handout = site / lang / "compare" / "handout.html"
    page = opened(handout)
    side_by_side(page.locator("#stage-01 .stage__content").evaluate(COLUMNS), rtl=lang == "fa")
    side_by_side(page.locator("#stage-03 .stage__content").evaluate(COLUMNS), rtl=lang == "fa")
    statement = page.locator("p.statement").evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize) / parseFloat(getComputedStyle(p.nextElementSibling).fontSize)")
    assert statement > 1.2
    page = opened(handout, PHONE)
    stacked(page.locator("#stage-01 .stage__content").evaluate(COLUMNS), PHONE["width"])
    stacked(page.locator("#stage-02 .stage__content").evaluate(COLUMNS), PHONE["width"])


@pytest.mark.parametrize("lang", ["el", "fa"])
@pytest.mark.parametrize("version", ["12", "2004"])
def test_the_learner_deck_of_the_scorm_package_lays_the_columns_out_too(site, opened, tmp_path, lang, version):
    with zipfile.ZipFile(site / lang / "compare" / f"compare-{lang}-scorm{version}.zip") as package:
        package.extractall(tmp_path)
    deck = tmp_path / "index.html"
    page = opened(deck, hash_=f"#{TWO}")
    side_by_side(page.locator(f"#slide-{TWO} .slide__body").evaluate(COLUMNS), rtl=lang == "fa")
    page = opened(deck, hash_=f"#{SIDE_LAST}")
    side_by_side(page.locator(f"#slide-{SIDE_LAST} .slide__body").evaluate(COLUMNS), rtl=lang == "fa")
    page = opened(deck, PHONE, f"#{TWO}")
    stacked(page.locator(f"#slide-{TWO} .slide__body").evaluate(COLUMNS), PHONE["width"])
