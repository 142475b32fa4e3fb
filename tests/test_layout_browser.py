"""Layout measured in real Chromium (tests/fixtures/layout: 'orders' in el, ru, fa, ar; slide 3-5 a list
continued across slides, 6 a table and a quotation, 7 a tall picture, 8 discussion, 9 closing; 'greeting'
in Greek only). Sizes, overflow and rectangles, not looks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES

LANGS = ("el", "ru", "fa", "ar")
PICTURE, TABLE, DISCUSSION, CLOSING, TOTAL = 7, 6, 8, 9, 9


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from microlearn.site.build import build

    project = tmp_path_factory.mktemp("layout") / "project"
    shutil.copytree(FIXTURES / "layout", project)
    return build(project, project / "site", with_pdf=False).out


@pytest.fixture
def at_size(browser):
    pages = []

    def open_(path: Path, width: int, height: int, query: str = "", hash_: str = ""):
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        page.goto(path.as_uri() + query + hash_)
        page.wait_for_load_state("load")
        return page

    yield open_
    for page in pages:
        page.close()


# What a slide shows, in proportion to the slide: text size and picture height to the slide's size,
# whether the picture and the text are inside the slide (not cut), the shrink factor.
SLIDE_MEASURE = """(s) => {
  const r = s.getBoundingClientRect(), body = s.querySelector('.slide__body'), b = body.getBoundingClientRect();
  const img = s.querySelector('img'), p = s.querySelector('.slide__body p, .slide__body li');
  const i = img ? img.getBoundingClientRect() : null;
  return {width: r.width, height: r.height,
          text: parseFloat(getComputedStyle(p).fontSize) / r.width,
          picture: i ? i.height / b.height : null,  // the body is the 16:9 slide face (print adds the notes below)
          pictureInside: i ? i.top >= b.top - 1 && i.bottom <= b.bottom + 1 && i.left >= b.left - 1 && i.right <= b.right + 1 : null,
          fits: body.scrollHeight <= body.clientHeight + 1,
          fit: getComputedStyle(body).getPropertyValue('--fit').trim() || '1'};
}"""


def close(a: float, b: float, tolerance: float = 0.03) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


@pytest.mark.parametrize("lang", ["el", "ar"])
def test_everything_on_a_slide_scales_with_the_slide(site, at_size, lang):
    deck = site / lang / "orders" / "index.html"
    for n in (PICTURE, TABLE, 3):
        page = at_size(deck, 1920, 1080, hash_=f"#{n}")
        reference = page.locator(f"#slide-{n}").evaluate(SLIDE_MEASURE)
        assert reference["fits"] and reference["pictureInside"] in (None, True), reference
        views = {}
        for w, h in ((1024, 768), (1280, 720), (1366, 768)):
            page = at_size(deck, w, h, hash_=f"#{n}")
            views[f"deck {w}x{h}"] = page.locator(f"#slide-{n}").evaluate(SLIDE_MEASURE)
        for w, h in ((1280, 720), (1024, 768)):
            page = at_size(deck, w, h, "?presenter", f"#{n}")
            views[f"presenter {w}x{h}"] = page.locator(".pv__now .slide").evaluate(SLIDE_MEASURE)
        page = at_size(deck, 1280, 720, hash_=f"#{n}")
        page.keyboard.press("o")
        views["overview"] = page.locator(f"#slide-{n}").evaluate(SLIDE_MEASURE)
        page = at_size(deck, 1280, 720, "?notes", f"#{n}")
        page.emulate_media(media="print")
        views["print with narration"] = page.locator(f"#slide-{n}").evaluate(SLIDE_MEASURE)
        for view, m in views.items():
            assert close(m["text"], reference["text"]), (n, view, m, reference)
            if reference["picture"] is not None:
                assert close(m["picture"], reference["picture"]), (n, view, m, reference)
                assert m["pictureInside"], (n, view, m)
            assert m["fits"], (n, view, m)


PANELS = (".pv__bar", ".pv__now", ".pv__talk", ".pv__pacing", ".pv__cues")
# Every panel inside the window and showing all it holds (no inner scrolling, nothing cut), and each
# line of the pacing, the cues, the bar and the timing table inside its panel and the window.
PRESENTER_CLIPPED = """(panels) => {
  const vw = innerWidth, vh = innerHeight, out = [];
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const view = {left: 0, top: 0, right: vw, bottom: vh};
  const d = document.scrollingElement;
  if (d.scrollHeight > vh + 1 || d.scrollWidth > vw + 1) out.push(['page', d.scrollWidth, d.scrollHeight]);
  for (const sel of panels) {
    const p = document.querySelector(sel);
    if (!p || p.hidden) continue;
    const r = p.getBoundingClientRect();
    if (!inside(r, view)) out.push([sel, 'outside the window', r.top, r.bottom, r.left, r.right]);
    if (p.scrollHeight > p.clientHeight + 1 || p.scrollWidth > p.clientWidth + 1)
      out.push([sel, 'scrolls', p.scrollWidth, p.clientWidth, p.scrollHeight, p.clientHeight]);
    for (const e of p.querySelectorAll('.pv__pace dt, .pv__pace dd, .pv__cue h3, .pv__cue li, tr, .pv__bar > *, .pv__frame, .pv__report .btn')) {
      const q = e.getBoundingClientRect();
      if (q.width && !(inside(q, r) && inside(q, view))) out.push([sel, e.localName, e.className, e.textContent.slice(0, 30)]);
    }
  }
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1366, 768), (1920, 1080)])
def test_the_presenter_view_fits_with_nothing_clipped(site, at_size, lang, size):
    for n in (3, DISCUSSION, PICTURE):
        page = at_size(site / lang / "orders" / "index.html", *size, "?presenter", f"#{n}")
        page.wait_for_selector(".pv")
        assert page.evaluate(PRESENTER_CLIPPED, [*PANELS, ".pv__upnext"]) == [], (n, "timing table closed")
        page.locator("[data-action=report]").click()
        assert page.locator(".pv__report").is_visible()
        assert page.evaluate(PRESENTER_CLIPPED, [*PANELS, ".pv__report"]) == [], (n, "timing table open")


PHONE_TEXT = """() => {
  const s = document.querySelector('.slide.is-current .slide__body'), small = [];
  const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.data.trim()) continue;
    const size = parseFloat(getComputedStyle(t.parentElement).fontSize);
    if (size < 14) small.push([t.parentElement.localName, t.parentElement.className, size, t.data.trim().slice(0, 20)]);
  }
  return small;
}"""
PHONE_TOOLBAR = """() => {
  const bar = document.querySelector('.controls'), b = bar.getBoundingClientRect(), out = [];
  const slide = document.querySelector('.slide.is-current').getBoundingClientRect();
  if (b.left < -1 || b.right > innerWidth + 1 || b.bottom > innerHeight + 1) out.push(['toolbar', b.left, b.right, b.bottom]);
  if (bar.scrollWidth > bar.clientWidth + 1) out.push(['toolbar scrolls', bar.scrollWidth, bar.clientWidth]);
  for (const c of bar.children) {
    const r = c.getBoundingClientRect();
    if (r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1 || r.left < 0 || r.right > innerWidth)
      out.push(['control cut', c.className, c.textContent.trim(), r.left, r.right]);
    if (c.scrollWidth > c.clientWidth + 1) out.push(['label cut', c.textContent.trim()]);
  }
  const overlap = Math.min(b.bottom, slide.bottom) - Math.max(b.top, slide.top) > 0 &&
                  Math.min(b.right, slide.right) - Math.max(b.left, slide.left) > 0;
  if (overlap) out.push(['toolbar over the slide', b.top, slide.bottom]);
  return out;
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(390, 844), (844, 390)], ids=["portrait", "landscape"])
def test_a_phone_reads_the_deck_and_reaches_every_button(site, at_size, lang, size):
    page = at_size(site / lang / "orders" / "index.html", *size, hash_="#1")
    for n in range(1, TOTAL + 1):
        if n > 1:
            page.keyboard.press("PageDown")
        assert page.locator(f"#slide-{n}.is-current").count() == 1
        assert page.evaluate(PHONE_TEXT) == [], n
        assert page.evaluate(PHONE_TOOLBAR) == [], n
        body = page.locator(f"#slide-{n} .slide__body")
        assert body.evaluate("b => b.scrollHeight <= b.clientHeight + 1 || getComputedStyle(b).overflowY === 'auto'"), \
            f"slide {n}: text that does not fit scrolls"


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_opens_the_deck_without_a_sideways_scroll(site, browser, lang):
    """On a phone (a mobile viewport, which widens the page to fit what overflows), the slides' entrance
    offset once made a right-to-left deck 406 px wide at 390 px, most loads, scrolled with its start cut."""
    for n in range(1, 7):
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        try:
            page.goto((site / lang / "orders" / "index.html").as_uri() + f"#{1 + n % 3}")
            page.wait_for_timeout(400)
            assert page.evaluate("[innerWidth, scrollX]") == [390, 0], n
        finally:
            page.close()


# Each word of a cell as the lines it is on (a word broken inside gives two), and the lines of the cell.
CELL_LINES = """(cell) => {
  const lines = (range) => new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  const words = [], range = document.createRange();
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    for (const m of t.data.matchAll(/\\S+/g)) {
      range.setStart(t, m.index); range.setEnd(t, m.index + m[0].length);
      words.push([m[0], lines(range)]);
    }
  }
  range.selectNodeContents(cell);
  return {words, lines: lines(range)};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", [360, 390])
def test_the_handout_timing_table_on_a_phone(site, at_size, lang, width):
    page = at_size(site / lang / "orders" / "handout.html", width, 844)
    table = page.locator(".timing")
    assert table.evaluate("t => t.getBoundingClientRect().right <= innerWidth && t.getBoundingClientRect().left >= 0")
    for th in table.locator("thead th").all():
        measured = th.evaluate(CELL_LINES)
        assert all(n == 1 for _, n in measured["words"]), ("a header word broken across lines", measured)
    for cell in table.locator("tbody td:nth-child(n+2)").all():
        measured = cell.evaluate(CELL_LINES)
        assert all(n == 1 for _, n in measured["words"]), measured
    for cell in table.locator("tbody td:nth-child(3)").all():
        measured = cell.evaluate(CELL_LINES)
        assert measured["lines"] <= 2, ("the running total on two lines at most", measured)


STYLE_OF = """(e) => { const s = getComputedStyle(e);
  return {left: parseFloat(s.borderLeftWidth), right: parseFloat(s.borderRightWidth), top: parseFloat(s.borderTopWidth),
          padStart: parseFloat(s.paddingInlineStart), background: s.backgroundColor}; }"""


@pytest.mark.parametrize("lang", ["el", "ar"])
@pytest.mark.parametrize("page_name, selector", [("index.html", f"#slide-{TABLE} "), ("handout.html", ".stage__content ")])
def test_tables_and_quotations_are_styled_in_both_directions(site, at_size, lang, page_name, selector):
    page = at_size(site / lang / "orders" / page_name, 1280, 720, hash_=f"#{TABLE}")
    for cell in page.locator(f"{selector}td").all():
        style = cell.evaluate(STYLE_OF)
        assert style["top"] >= 1 and style["left"] >= 1 and style["padStart"] >= 4, ("cells apart", style)
    quote = page.locator(f"{selector}blockquote").evaluate(STYLE_OF)
    start, end = ("right", "left") if lang == "ar" else ("left", "right")
    assert quote[start] >= 3 and quote[end] == 0, ("a bar at the start of the line", quote)
    assert quote["background"] != "rgba(0, 0, 0, 0)"


@pytest.mark.pdf  # WeasyPrint lays out the handout
def test_the_pdf_styles_tables_and_quotations_in_both_directions(site):
    """The PDF's own layout (WeasyPrint's boxes of the handout it turns into the PDF)."""
    from weasyprint import HTML

    from microlearn.lessons.project import load_project
    from microlearn.render.renderer import Renderer

    project = load_project(site.parent)
    renderer = Renderer(project.config)
    for lang, start in (("el", "left"), ("ar", "right")):
        lesson = project.lessons["orders"][lang]
        html = renderer.handout(lesson, project.versions("orders"), for_pdf=True)
        pages = [pdf_page._page_box for pdf_page in HTML(string=html).render().pages]
        boxes = [box for page_box in pages for box in descendants(page_box)]
        quote = next(b for b in boxes if getattr(b, "element_tag", None) == "blockquote")
        end = "right" if start == "left" else "left"
        assert getattr(quote, f"border_{start}_width") >= 3 and getattr(quote, f"border_{end}_width") == 0, lang
        # the lesson's table (the one with Instagram in it), not the timing table
        table = next(b for b in boxes if type(b).__name__ == "TableBox" and any(
            "Instagram" in getattr(t, "text", "") for t in descendants(b)))
        # all of its rows, on whichever pages they fall (a table may break between rows; its head repeats)
        cells = [b for part in boxes if type(part).__name__ == "TableBox" and part.element is table.element
                 for b in descendants(part) if type(b).__name__ == "TableCellBox"]
        assert len({id(c.element) for c in cells}) == 9, lang
        assert all(c.border_top_width >= 0.5 and c.border_left_width >= 0.5 and c.padding_left > 2 for c in cells), lang


def descendants(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from descendants(child)


def test_a_language_the_lesson_lacks_does_not_look_like_a_version_of_it_in_the_deck(site, at_size):
    """It stays a link to that language's list of lessons (test_bidi.py), reachable with the keyboard, but
    muted and struck through instead of underlined in the link colour, and its title says it is absent."""
    page = at_size(site / "el" / "greeting" / "index.html", 1280, 720, hash_="#1")
    switch = page.locator(".slide.is-current .lang-switch")
    style = """(e) => { const s = getComputedStyle(e); return {line: s.textDecorationLine, color: s.color,
                 title: e.title, href: e.getAttribute('href')}; }"""
    present = switch.locator("a[aria-current]").evaluate(style)
    absent = switch.locator(".lang-switch__absent")
    assert absent.count() == 3
    for item in absent.all():
        info = item.evaluate(style)
        assert info["line"] == "line-through", ("marked absent, not underlined as a link to the lesson", info)
        assert info["color"] != present["color"] and info["color"] != "rgb(11, 92, 173)", info
        rgb = [int(c) for c in info["color"][4:-1].split(",")[:3]]
        assert contrast(rgb, [255, 255, 255]) >= 4.5, info
        assert info["title"] == "Δεν είναι διαθέσιμο σε αυτή τη γλώσσα: ανοίγει τη λίστα των μαθημάτων", info
        assert info["href"].endswith("/index.html") and "/greeting/" not in info["href"], info


def contrast(a: list[int], b: list[int]) -> float:
    def lum(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("lang", ["el", "ar"])
def test_the_closing_slide_links_have_one_unbroken_underline(site, browser, lang):
    """Pixels: the underline row of each link is one run of the link colour, with no piece left over
    past a ')' whose ink the underline skipped."""
    import io

    from PIL import Image

    page = browser.new_page(viewport={"width": 1280, "height": 720}, device_scale_factor=2)
    try:
        page.goto((site / lang / "orders" / "index.html").as_uri() + f"#{CLOSING}")
        page.wait_for_load_state("load")
        for link in page.locator(f"#slide-{CLOSING} .downloads a").all():
            box = link.bounding_box()
            shot = Image.open(io.BytesIO(page.screenshot(clip={"x": box["x"] - 4, "y": box["y"], "width": box["width"] + 8,
                                                               "height": box["height"] + 6}))).convert("RGB")
            w, h = shot.size
            blue = [[(lambda p: p[2] > 120 and p[2] - p[0] > 60)(shot.getpixel((x, y))) for x in range(w)] for y in range(h)]
            row = max(range(h // 2, h), key=lambda y: sum(blue[y]))
            runs, inside = 0, False
            for x in range(w):
                if blue[row][x] and not inside:
                    runs += 1
                inside = blue[row][x]
            assert runs == 1, (lang, link.inner_text(), runs)
    finally:
        page.close()
