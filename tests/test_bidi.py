"""Reading right in both directions: left-to-right runs inside Persian and Arabic lessons, checked in
Chromium on built pages (isolation in the DOM, the order glyphs are laid out in, screenshots against
the same text left to the bidi algorithm alone), and the links between languages."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from html import unescape
from pathlib import Path

import pytest

from conftest import block_network, copy_project
from microlearn.site.build import build

ZWNJ = "\u200c"

LESSON_FA = """---
title: فروش همه‌کاناله
objectives:
  - می‌خواهیم بفهمیم FOMO چیست.
duration: 2m
---

## مرحلهٔ نخست {time=1m}

FOMO یعنی ترس از جا ماندن و مشتری را به خرید تشویق می‌کند.

فروشگاه‌ها کالا را با UPS، FedEx یا پست می‌فرستند و بازدید را در Google Analytics 4 می‌سنجند.

فروش همه‌کاناله (Omni-channel) یعنی حضور در همهٔ کانال‌ها.

حجم هر عکس کمتر از 5 MB و وزن بسته 2.5 kg باشد.

دستور `npm install` را اجرا کنید و به <https://example.org/shop> بروید.

- Instagram برای نمایش محصولات
- WhatsApp برای پاسخ به مشتری

::: notes
در روایت هم Google و (Omni-channel) می‌آیند.
:::

## مرحلهٔ دوم {time=1m}

گوشی iPhone 15 Pro را با *تأکید* معرفی کنید.

::: notes
پایان.
:::
"""

LESSON_AR = """---
title: البيع عبر القنوات المتعددة
objectives:
  - أن نفهم معنى FOMO.
duration: 1m
---

## المرحلة الأولى {time=1m}

FOMO هو الخوف من تفويت الفرصة.

تُشحن الطلبات عبر شركات مثل UPS أو FedEx، وتُقاس الزيارات في Google Analytics 4.

البيع عبر القنوات المتعددة (Omni-channel) يعني الحضور في كل مكان.

لا يزيد حجم الصورة عن 5 MB ووزن الطرد عن 2.5 kg.

- Instagram لعرض المنتجات
- WhatsApp للرد على العملاء

::: notes
اذكروا Google و (Omni-channel) في الشرح.
:::
"""

LESSON_EL = """---
title: Πολυκαναλικές πωλήσεις
objectives:
  - Να καταλάβουμε τι είναι το FOMO.
duration: 1m
---

## Πρώτο στάδιο {time=1m}

Κείμενο.

::: notes
Αφήγηση.
:::
"""

# Runs that must read left to right, as one unit, in both languages
RUNS = ["FOMO", "UPS", "FedEx", "Google Analytics 4", "(Omni-channel)", "5 MB", "2.5 kg", "Instagram", "WhatsApp"]
# Of those, runs the Unicode bidi algorithm alone lays out wrongly in a right-to-left paragraph
# (a number before a Latin word: the space between them takes the paragraph's direction). A number
# after a Latin word ("Google Analytics 4") is fine: it takes the direction of the word before it.
TRAPS = {"5 MB": "حجم هر عکس کمتر از 5 MB و وزن بسته", "2.5 kg": "وزن بسته 2.5 kg باشد"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bidi")
    project = copy_project(root / "p", content=False)
    cfg = project / "microlearn.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "# base_url: https://training.example.org/microlearn/", "base_url: https://training.example.org/microlearn/"),
        encoding="utf-8")
    folder = project / "content" / "omni"
    folder.mkdir(parents=True)
    (folder / "fa.md").write_text(LESSON_FA, encoding="utf-8")
    (folder / "ar.md").write_text(LESSON_AR, encoding="utf-8")
    (folder / "el.md").write_text(LESSON_EL, encoding="utf-8")
    return build(project, root / "site", with_pdf=False).out


def open_page(page, path: Path) -> None:
    seen: list[str] = []
    block_network(page, seen)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert seen == []


# A text node's characters, each with the centre of its box, for runs found inside ``root``.
GLYPHS_JS = """([selector, needle]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let at = node.data.indexOf(needle);
    while (at >= 0) {
      const chars = [];
      for (let i = at; i < at + needle.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
        const box = r.getClientRects()[0];
        chars.push({c: node.data[i], x: box.left + box.width / 2, y: box.top + box.height / 2});
      }
      let iso = node.parentElement;
      while (iso && iso !== root && !(iso.localName === 'bdi' || iso.getAttribute('dir') === 'ltr')) iso = iso.parentElement;
      found.push({chars, isolated: !!iso && iso !== root, iso: iso && iso !== root ? iso.outerHTML : null});
      at = node.data.indexOf(needle, at + 1);
    }
  }
  return found;
}"""


# Text nodes of the lesson (not the interface) holding Latin letters outside any isolation.
LOOSE_LATIN_JS = """() => {
            // the lesson's own text; the title and closing slides hold interface strings
            const roots = document.querySelectorAll(
              '.slide:not(.slide--title):not(.slide--closing) .slide__body, .notes, .handout main section, .handout main .intro');
            const out = [];
            for (const root of roots) {
              const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
              for (let n = w.nextNode(); n; n = w.nextNode()) {
                if (!/[A-Za-z]/.test(n.data)) continue;
                if (n.parentElement.closest('bdi, [dir="ltr"], code, pre, script, style, svg')) continue;
                if (n.parentElement.closest('[lang]') !== document.documentElement &&
                    n.parentElement.closest('[lang]').lang !== document.documentElement.lang) continue;
                out.push(n.data);
              }
            }
            return out;
        }"""


def reads_left_to_right(chars: list[dict]) -> bool:
    xs = [c["x"] for c in chars]
    return all(b > a for a, b in itertools.pairwise(xs))


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_latin_runs_are_isolated_in_the_html(site, lang):
    handout = (site / lang / "omni" / "handout.html").read_text(encoding="utf-8")
    deck = (site / lang / "omni" / "index.html").read_text(encoding="utf-8")
    for run in RUNS:
        assert f'<bdi dir="ltr">{run}</bdi>' in handout, run
        assert f'<bdi dir="ltr">{run}</bdi>' in deck, run
    # a list item that starts with a Latin word stays a right-to-left item: no dir="auto" anywhere
    assert re.search(r'<li><bdi dir="ltr">Instagram</bdi> ', handout)
    assert 'dir="auto"' not in handout and 'dir="auto"' not in deck
    if lang == "fa":
        assert '<code dir="ltr">npm install</code>' in handout
        assert '<bdi dir="ltr">iPhone 15 Pro</bdi>' in handout


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_isolated_runs_render_left_to_right_in_chromium(site, page, lang):
    open_page(page, site / lang / "omni" / "handout.html")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    extra = ["https://example.org/shop", "npm install", "iPhone 15 Pro"] if lang == "fa" else []
    for run in RUNS + extra:
        hits = page.evaluate(GLYPHS_JS, ["main", run])
        assert hits, run
        for hit in hits:
            assert hit["isolated"], f"{run} is not inside <bdi> or dir=ltr"
            assert reads_left_to_right(hit["chars"]), f"{run} is laid out out of order: {hit['chars']}"


def test_without_isolation_the_traps_render_out_of_order(site, page, tmp_path):
    """The control: the same Persian sentences as plain text in the same page are laid out wrongly by the
    bidi algorithm alone, and look different. So the checks above can fail, and isolation is what fixes it."""
    open_page(page, site / "fa" / "omni" / "handout.html")
    for run, sentence in TRAPS.items():
        page.evaluate("""([text]) => { const p = document.createElement('p'); p.id = 'control';
            p.textContent = text; document.querySelector('main').prepend(p); }""", [sentence])
        (plain,) = page.evaluate(GLYPHS_JS, ["#control", run])
        assert not plain["isolated"]
        assert not reads_left_to_right(plain["chars"]), f"{run}: the bidi algorithm alone got it right?"
        # the built page's version of the same words, isolated, in a paragraph of its own for the picture
        page.evaluate("""([text, run]) => { const p = document.createElement('p'); p.id = 'isolated';
            const [before, after] = text.split(run); const b = document.createElement('bdi'); b.dir = 'ltr';
            b.textContent = run; p.append(before, b, after); document.querySelector('main').prepend(p); }""",
                      [sentence, run])
        (fixed,) = page.evaluate(GLYPHS_JS, ["#isolated", run])
        assert reads_left_to_right(fixed["chars"])
        shot_plain = page.locator("#control").screenshot(path=str(tmp_path / f"plain-{len(run)}.png"))
        shot_fixed = page.locator("#isolated").screenshot(path=str(tmp_path / f"isolated-{len(run)}.png"))
        assert shot_plain != shot_fixed
        page.evaluate("document.getElementById('control').remove(); document.getElementById('isolated').remove()")


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_isolates_sit_between_their_neighbours_and_lists_stay_right_to_left(site, page, lang, tmp_path):
    open_page(page, site / lang / "omni" / "handout.html")
    # each isolate on a line: the text before it (logically) is to its right, the text after it to its left
    placed = page.evaluate("""() => Array.from(document.querySelectorAll('main p bdi')).map(b => {
        const box = b.getBoundingClientRect();
        const edge = (node, last) => { if (!node || node.nodeType !== 3) return null;
          const t = node.data; let i = last ? t.trimEnd().length - 1 : t.length - t.trimStart().length;
          if (i < 0 || i >= t.length) return null;
          const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getClientRects()[0]; };
        const before = edge(b.previousSibling, true), after = edge(b.nextSibling, false);
        return {text: b.textContent, left: box.left, right: box.right, top: box.top,
                before: before && {left: before.left, top: before.top}, after: after && {right: after.right, top: after.top}};
    })""")
    assert len(placed) >= 6
    checked = 0
    for p in placed:
        if p["before"] and abs(p["before"]["top"] - p["top"]) < 4:
            assert p["before"]["left"] >= p["right"] - 1, p
            checked += 1
        if p["after"] and abs(p["after"]["top"] - p["top"]) < 4:
            assert p["after"]["right"] <= p["left"] + 1, p
            checked += 1
    assert checked >= 6
    # list items beginning with a Latin word: right-to-left items, the word at the start (right) edge
    items = page.evaluate("""() => Array.from(document.querySelectorAll('main li')).filter(li =>
        li.firstChild && li.firstChild.localName === 'bdi').map(li => ({dir: getComputedStyle(li).direction,
        right: li.getBoundingClientRect().right - parseFloat(getComputedStyle(li).paddingInlineStart || 0),
        word: li.firstChild.getBoundingClientRect().right}))""")
    assert len(items) >= 2
    for item in items:
        assert item["dir"] == "rtl"
        assert abs(item["right"] - item["word"]) < 2, item
    page.locator("main").screenshot(path=str(tmp_path / f"{lang}-handout.png"))


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_every_latin_word_of_the_lesson_is_isolated(site, page, lang):
    """The whole lesson text of the deck and the handout: no Latin letter left to the bidi algorithm."""
    for name in ("index.html", "handout.html"):
        open_page(page, site / lang / "omni" / name)
        loose = page.evaluate(LOOSE_LATIN_JS)
        assert loose == [], f"{lang}/{name}: {loose}"


@pytest.mark.parametrize("lang", ["fa", "ar"])
def test_joining_is_never_broken(site, page, lang):
    """Zero-width non-joiners survive; no letter-spacing and no italics on Persian or Arabic text."""
    if lang == "fa":
        for name in ("index.html", "handout.html"):
            html = (site / "fa" / "omni" / name).read_text(encoding="utf-8")
            assert f"همه{ZWNJ}کاناله" in html and f"می{ZWNJ}فرستند" in html
        deck = (site / "fa" / "omni" / "index.html").read_text(encoding="utf-8")
        data = json.loads(re.search(r'<script type="application/json" id="ml-data">(.*?)</script>', deck, re.DOTALL)[1])
        assert data["title"] == f"فروش همه{ZWNJ}کاناله", "the deck's data for the presenter view"
        assert f"فروش همه{ZWNJ}کاناله" in (site / "fa" / "index.html").read_text(encoding="utf-8")
        with zipfile.ZipFile(site / "fa" / "omni" / "omni-fa.zip") as bundle:
            handouts = [n for n in bundle.namelist() if n.endswith("handout.html")]
            assert handouts and all(f"می{ZWNJ}فرستند" in bundle.read(n).decode("utf-8") for n in handouts)
    for name in ("index.html", "handout.html"):
        open_page(page, site / lang / "omni" / name)
        if lang == "fa":
            assert f"همه{ZWNJ}کاناله" in page.evaluate("document.body.textContent")
        bad = page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(el =>
            Array.from(el.childNodes).some(n => n.nodeType === 3 && /[\\u0600-\\u06FF]/.test(n.data))).map(el => {
            const s = getComputedStyle(el);
            return {tag: el.localName, cls: el.className, spacing: s.letterSpacing, style: s.fontStyle};
        }).filter(s => (s.spacing !== 'normal' && s.spacing !== '0px') || s.style !== 'normal')""")
        assert bad == [], f"{lang}/{name}: {bad}"


def test_language_switcher_goes_to_the_same_page_in_each_language(site, page):
    open_page(page, site / "fa" / "omni" / "handout.html")
    links = page.evaluate("""() => Array.from(document.querySelectorAll('.lang-switch a')).map(a => ({
        lang: a.getAttribute('hreflang'), href: a.getAttribute('href'), dir: a.dir, current: a.getAttribute('aria-current'),
        absent: a.classList.contains('lang-switch__absent')}))""")
    by_lang = {link["lang"]: link for link in links}
    assert set(by_lang) == {"el", "ru", "fa", "ar"}
    assert by_lang["el"]["href"] == "../../el/omni/handout.html" and not by_lang["el"]["absent"]
    assert by_lang["ar"]["href"] == "../../ar/omni/handout.html" and by_lang["ar"]["dir"] == "rtl"
    assert by_lang["ru"]["href"] == "../../ru/index.html" and by_lang["ru"]["absent"], "no ru version: its catalog"
    assert by_lang["fa"]["current"] == "page"
    # with the keyboard: Tab to the Greek link, Enter, and we are on the Greek handout of the same lesson
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "el":
            break
    else:
        pytest.fail("the Greek link is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/el/omni/handout.html")
    assert page.evaluate("document.documentElement.lang") == "el"
    # the deck's title slide has the switcher too, to the other decks
    open_page(page, site / "ar" / "omni" / "index.html")
    hrefs = page.evaluate("""() => Array.from(document.querySelectorAll('.lang-switch a[hreflang]'))
        .map(a => a.getAttribute('hreflang') + ' ' + a.getAttribute('href'))""")
    assert "fa ../../fa/omni/index.html" in hrefs and "ru ../../ru/index.html" in hrefs


def test_hreflang_alternates_and_sitemap_use_canonical_urls(site):
    base = "https://training.example.org/microlearn/"
    deck = (site / "fa" / "omni" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}fa/omni/">' in deck
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', deck))
    assert alternates == {"el": f"{base}el/omni/", "fa": f"{base}fa/omni/", "ar": f"{base}ar/omni/",
                          "x-default": f"{base}el/omni/"}, \
        "the versions that exist, at their canonical URLs; x-default is the version the others translate"
    handout = (site / "ar" / "omni" / "handout.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" hreflang="el" href="{base}el/omni/handout.html">' in handout
    catalog = (site / "ru" / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="[^"]+/">', catalog)) == \
        {"el", "ru", "fa", "ar", "x-default"}
    assert f'<link rel="alternate" hreflang="x-default" href="{base}">' in catalog

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(site / "sitemap.xml")
    urls = {u.find("s:loc", ns).text: {a.get("hreflang"): a.get("href") for a in u.findall("x:link", ns)}
            for u in tree.getroot().findall("s:url", ns)}
    assert urls[f"{base}fa/omni/"] == alternates
    assert urls[f"{base}el/omni/handout.html"]["ar"] == f"{base}ar/omni/handout.html"
    assert urls[f"{base}fa/"] == {**{code: f"{base}{code}/" for code in ("el", "ru", "fa", "ar")}, "x-default": base}
    assert "ru" not in urls[f"{base}fa/omni/"]
    assert urls[base] == urls[f"{base}fa/"], "the root page, which picks a language, is listed too"


def test_root_page_picks_the_browser_language_and_remembers_a_choice(site, browser):
    ctx = browser.new_context(locale="ar-EG")
    try:
        page = ctx.new_page()
        open_page(page, site / "index.html")
        page.wait_for_url("**/ar/index.html")
        assert page.evaluate("document.documentElement.lang") == "ar"
        # a manual choice on the chooser (#choose does not redirect) wins from then on
        page.goto((site / "index.html").as_uri() + "#choose")
        page.locator('a[data-lang="ru"]').focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/ru/index.html")
        page.goto((site / "index.html").as_uri())
        page.wait_for_url("**/ru/index.html")
        # a language picked in a page's language switcher is remembered too
        page.locator('.lang-switch a[hreflang="fa"]').click()
        page.wait_for_url("**/fa/index.html")
        page.goto((site / "index.html").as_uri())
        page.wait_for_url("**/fa/index.html")
    finally:
        ctx.close()
    ctx = browser.new_context(locale="de-DE")
    try:
        page = ctx.new_page()
        open_page(page, site / "index.html")
        page.wait_for_timeout(200)
        assert page.url == (site / "index.html").as_uri()
        assert page.evaluate("document.documentElement.lang") == "el", "no match: the default language's chooser"
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def example_site_without_pdfs(tmp_path_factory) -> Path:
    """The example project built without PDFs (conftest's session ``example_site`` has them)."""
    root = tmp_path_factory.mktemp("bidi-example")
    project = copy_project(root / "p")
    return build(project, root / "site", with_pdf=False).out


def test_mixed_direction_text_of_the_example_lessons_reads_right(example_site_without_pdfs, page):
    pages = sorted(p for lang in ("fa", "ar") for p in (example_site_without_pdfs / lang).glob("*/*.html"))
    assert pages, "the example project has Persian or Arabic lessons"
    isolates = 0
    for path in pages:
        open_page(page, path)
        assert page.evaluate(LOOSE_LATIN_JS) == [], path
        runs = page.evaluate("""() => Array.from(document.querySelectorAll('bdi')).map(b => {
            const t = b.firstChild; if (!t || t.nodeType !== 3 || b.getClientRects().length !== 1) return null;
            const out = [];
            for (let i = 0; i < t.data.length; i++) { if (/\\s/.test(t.data[i])) continue;
              const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
              const box = r.getClientRects()[0]; if (box) out.push({c: t.data[i], x: box.left + box.width / 2}); }
            return out; }).filter(x => x && x.length > 1)""")
        for chars in runs:
            assert reads_left_to_right(chars), (path, "".join(c["c"] for c in chars))
        isolates += len(runs)
    assert isolates > 0


def test_x_default_is_the_version_the_others_translate():
    """In the example project customer-journey-map was written in Russian and translated into Greek, the
    project's default language: its x-default is the Russian original."""
    from microlearn.lessons.project import load_project, original_language

    project = load_project(Path(__file__).resolve().parent.parent)
    default = project.config.default_language
    assert default == "el"
    assert original_language(project.versions("customer-journey-map"), default) == "ru"
    assert original_language(project.versions("ecommerce-cycle"), default) == "el"


# ---------------------------------------------------------------- titles and the edges of runs

TITLE_FA = "FOMO در فروش همه\u200cکاناله (Omni-channel) با 5 MB"

# Left-to-right runs whose first or last character is a sign the bidi algorithm pulls to the
# right-to-left side when it is left outside the isolate: (run, a Persian sentence holding it).
EDGE_RUNS = [
    ("C++", "برنامه را با C++ نوشته‌اند"),
    ("C#", "زبان C# را هم می‌شناسند"),
    ("#shop", "برچسب #shop را دنبال کنید"),
    ("@myshop", "صفحهٔ @myshop را ببینید"),
    ("+98 21 5555", "با شمارهٔ +98 21 5555 تماس بگیرید"),
    ("25 °C", "دمای انبار 25 °C باشد"),
    ("-5 °C", "یخچال روی -5 °C است"),
    ("1,000 m²", "فروشگاه 1,000 m² است"),
    ("2 m³", "حجم بار 2 m³ است"),
    ("10 µm", "ضخامت لایه 10 µm است"),
    ("5 ‰", "کارمزد 5 ‰ است"),
]

LESSON_EDGES_FA = f"""---
title: {TITLE_FA}
objectives:
  - نشانه‌ها در کنار واژه‌های لاتین.
duration: 1m
---

## {TITLE_FA} {{time=1m}}

""" + "\n\n".join(sentence + "." for _, sentence in EDGE_RUNS) + """

::: notes
روایت.
:::
"""

LESSON_EDGES_EL = """---
title: Το FOMO στις πολυκαναλικές πωλήσεις
objectives:
  - Στόχος.
duration: 1m
---

## Στάδιο {time=1m}

Κείμενο.

::: notes
Αφήγηση.
:::
"""


def one_lesson_site(root: Path, lesson_id: str, fa_text: str) -> Path:
    """A site of one lesson: ``fa_text`` in Persian beside a short Greek version."""
    project = copy_project(root / "p", content=False)
    folder = project / "content" / lesson_id
    folder.mkdir(parents=True)
    (folder / "fa.md").write_text(fa_text, encoding="utf-8")
    (folder / "el.md").write_text(LESSON_EDGES_EL, encoding="utf-8")
    return build(project, root / "site", with_pdf=False).out


@pytest.fixture(scope="module")
def edge_site(tmp_path_factory) -> Path:
    return one_lesson_site(tmp_path_factory.mktemp("bidi-edges"), "edges", LESSON_EDGES_FA)


@pytest.mark.parametrize("run,sentence", EDGE_RUNS, ids=[r for r, _ in EDGE_RUNS])
def test_signs_at_the_edges_of_a_run_stay_with_it(edge_site, page, run, sentence):
    html = (edge_site / "fa" / "edges" / "handout.html").read_text(encoding="utf-8")
    # exactly the run, signs included, in one isolate; the Persian around it outside
    before, after = sentence.split(run)
    assert f'{before}<bdi dir="ltr">{run}</bdi>{after}.' in html
    open_page(page, edge_site / "fa" / "edges" / "handout.html")
    (hit,) = page.evaluate(GLYPHS_JS, ["main", run])
    assert hit["isolated"] and hit["iso"] == f'<bdi dir="ltr">{run}</bdi>'
    assert reads_left_to_right(hit["chars"]), f"{run} is laid out out of order: {hit['chars']}"
    # the control: the same sentence as plain text, left to the bidi algorithm, is laid out wrongly
    page.evaluate("""([text]) => { const p = document.createElement('p'); p.id = 'control';
        p.textContent = text; document.querySelector('main').prepend(p); }""", [sentence])
    (plain,) = page.evaluate(GLYPHS_JS, ["#control", run])
    assert not plain["isolated"]
    assert not reads_left_to_right(plain["chars"]), f"{run}: the bidi algorithm alone got it right?"


@pytest.mark.parametrize("where,selector", [
    ("fa/edges/index.html", ".slide--title h1"),
    ("fa/edges/index.html", ".slide--closing .slide__kicker"),
    ("fa/edges/index.html", ".slide--stage h2"),
    ("fa/edges/handout.html", "h1#top"),
    ("fa/index.html", ".lesson-card h2"),
    ("el/index.html", '.other-langs a[hreflang="fa"]'),
])
def test_a_persian_title_reads_right_wherever_it_is_shown(edge_site, page, where, selector):
    open_page(page, edge_site / where)
    assert page.locator(selector).count() == 1
    assert page.evaluate("([s]) => document.querySelector(s).textContent", [selector]).strip().endswith(
        TITLE_FA), "the whole title, zero-width non-joiner included"
    for run in ("FOMO", "(Omni-channel)", "5 MB"):
        (hit,) = page.evaluate(GLYPHS_JS, [selector, run])
        assert hit["isolated"], f"{where} {selector}: {run} is not isolated"
        assert reads_left_to_right(hit["chars"]), f"{where} {selector}: {run} out of order: {hit['chars']}"
    # a right-to-left title, its first word Latin: the heading (or, in the Greek catalog, the link with
    # dir="auto") still runs right to left, the Persian words in their order
    assert page.evaluate("([s]) => getComputedStyle(document.querySelector(s)).direction", [selector]) == "rtl"
    words = page.evaluate("""([s]) => ['فروش', 'با'].map(w => {
        const walker = document.createTreeWalker(document.querySelector(s), NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) { const i = n.data.indexOf(w);
          if (i >= 0) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + w.length);
            const box = r.getBoundingClientRect(); return [box.left, box.top]; } } return null; })""",
                          [selector])
    assert None not in words
    # on one line, to its right; where the title wraps between them (a branded title slide shrinks its
    # text to make room for the logos), on a line above
    (first_left, first_top), (second_left, second_top) = words
    assert (first_left > second_left if abs(first_top - second_top) < 1 else first_top < second_top), \
        f"فروش comes before با, to its right or on a line above: {words}"


def test_the_plain_title_stays_plain_where_html_is_not_wanted(edge_site):
    deck = (edge_site / "fa" / "edges" / "index.html").read_text(encoding="utf-8")
    handout = (edge_site / "fa" / "edges" / "handout.html").read_text(encoding="utf-8")
    assert f"<title>{TITLE_FA} · " in deck and f"<title>{TITLE_FA} · " in handout
    assert re.search(r'<meta name="description" content="[^"<]*' + re.escape(TITLE_FA) + '">', handout)
    data = json.loads(re.search(r'<script type="application/json" id="ml-data">(.*?)</script>', deck, re.DOTALL)[1])
    assert data["title"] == TITLE_FA
    # the Greek version's title is plain escaped text: no isolates in a left-to-right lesson
    el = (edge_site / "el" / "edges" / "handout.html").read_text(encoding="utf-8")
    assert '<h1 id="top">Το FOMO στις πολυκαναλικές πωλήσεις</h1>' in el


def test_the_bundle_index_shows_the_title_isolated(edge_site, page, tmp_path):
    with zipfile.ZipFile(edge_site / "fa" / "microlearn-fa.zip") as bundle:
        bundle.extractall(tmp_path)
    open_page(page, tmp_path / "microlearn-fa" / "index.html")
    for run in ("FOMO", "(Omni-channel)", "5 MB"):
        (hit,) = page.evaluate(GLYPHS_JS, [".lesson-card h2", run])
        assert hit["isolated"] and reads_left_to_right(hit["chars"]), (run, hit)


# ---------------------------------------------------------------- runs across formatting, URLs, formulas, prices

# (a Persian sentence in Markdown, the left-to-right run in it, the HTML the earlier rule (runs found in
# each text token alone, a narrower grammar) made of the sentence, whether Chromium lays the run out
# right with no markup at all). Each earlier HTML reads wrong in Chromium; several are worse than no
# markup. None: the earlier rule got it right too, and it must stay so.
WHOLE_RUNS = [
    ("آدرس https://example.com/shop?id=5&lang=fa#top را باز کنید", "https://example.com/shop?id=5&lang=fa#top",
     'آدرس <bdi dir="ltr">https://example.com/shop</bdi>?<bdi dir="ltr">id</bdi>=<bdi dir="ltr">5&amp;lang</bdi>='
     '<bdi dir="ltr">fa#top</bdi> را باز کنید', True),
    ("به <https://example.org/a?b=2> بروید", "https://example.org/a?b=2",
     'به <a href="https://example.org/a?b=2"><bdi dir="ltr">https://example.org/a</bdi>?<bdi dir="ltr">b</bdi>=2</a>'
     ' بروید', True),
    ("نشانی [https://example.net/a?b=2](https://example.net/a?b=2) است", "https://example.net/a?b=2",
     'نشانی <a href="https://example.net/a?b=2"><bdi dir="ltr">https://example.net/a</bdi>?<bdi dir="ltr">b</bdi>=2</a>'
     ' است', True),
    ("مسیر https://example.org/path/ است", "https://example.org/path/",
     'مسیر <bdi dir="ltr">https://example.org/path</bdi>/ است', False),
    ("سایت www.example.com/a?b=1 است", "www.example.com/a?b=1",
     'سایت <bdi dir="ltr">www.example.com/a</bdi>?<bdi dir="ltr">b</bdi>=1 است', True),
    ("فروشگاه example.com/shop?id=5 است", "example.com/shop?id=5",
     'فروشگاه <bdi dir="ltr">example.com/shop</bdi>?<bdi dir="ltr">id</bdi>=5 است', True),
    ("ابزار **Google** Analytics را ببینید", "Google Analytics",
     'ابزار <strong><bdi dir="ltr">Google</bdi></strong> <bdi dir="ltr">Analytics</bdi> را ببینید', True),
    ("فروش *Omni*-channel است", "Omni-channel",
     'فروش <em><bdi dir="ltr">Omni</bdi></em>-<bdi dir="ltr">channel</bdi> است', True),
    ("ابزار [Google](https://google.com) Analytics را ببینید", "Google Analytics",
     'ابزار <a href="https://google.com"><bdi dir="ltr">Google</bdi></a> <bdi dir="ltr">Analytics</bdi> را ببینید', True),
    ("دستور `npm` install را اجرا کنید", "npm install",
     'دستور <code dir="ltr">npm</code> <bdi dir="ltr">install</bdi> را اجرا کنید', True),
    ("فرمول H₂O است", "H₂O", 'فرمول <bdi dir="ltr">H</bdi>₂<bdi dir="ltr">O</bdi> است', True),
    ("گاز CO₂ است", "CO₂", 'گاز <bdi dir="ltr">CO</bdi>₂ است', True),
    ("فرمول E=mc² است", "E=mc²", 'فرمول <bdi dir="ltr">E</bdi>=<bdi dir="ltr">mc²</bdi> است', True),
    ("قیمت €10 است", "€10", 'قیمت €<bdi dir="ltr">10</bdi> است', False),
    ("قیمت $10 است", "$10", 'قیمت $<bdi dir="ltr">10</bdi> است', False),
    ("قیمت £5 است", "£5", "قیمت £5 است", False),
    ("قیمت 10 € است", "10 €", 'قیمت <bdi dir="ltr">10</bdi> € است', False),
    ("سن 10+ است", "10+", 'سن <bdi dir="ltr">10</bdi>+ است', False),
    ("چارچوب .NET است", ".NET", 'چارچوب .<bdi dir="ltr">NET</bdi> است', False),
    ("گزینهٔ --version است", "--version", 'گزینهٔ --<bdi dir="ltr">version</bdi> است', False),
    ("مسیر /usr/bin/python3 است", "/usr/bin/python3", 'مسیر /<bdi dir="ltr">usr/bin/python3</bdi> است', False),
    ("پوشهٔ /usr/local/ است", "/usr/local/", 'پوشهٔ /<bdi dir="ltr">usr/local</bdi>/ است', False),
    ("نسخهٔ v2.0.1 است", "v2.0.1", None, True),
    # a run that cannot nest in the emphasis around it cuts the emphasis in two
    ("ابزار Google **Analytics یعنی** همین است", "Google Analytics",
     'ابزار <bdi dir="ltr">Google</bdi> <strong><bdi dir="ltr">Analytics</bdi> یعنی</strong> همین است', True),
    ("**یعنی Google** Analytics است", "Google Analytics",
     '<strong>یعنی <bdi dir="ltr">Google</bdi></strong> <bdi dir="ltr">Analytics</bdi> است', True),
]

LESSON_WHOLE_FA = """---
title: پیوندها و فرمول‌ها
objectives:
  - نشانی‌ها، قیمت‌ها و فرمول‌ها در متن فارسی.
duration: 1m
---

## مرحله {time=1m}

""" + "\n\n".join(sentence + "." for sentence, _, _, _ in WHOLE_RUNS) + """

::: notes
روایت.
:::
"""


@pytest.fixture(scope="module")
def whole_site(tmp_path_factory) -> Path:
    return one_lesson_site(tmp_path_factory.mktemp("bidi-whole"), "whole", LESSON_WHOLE_FA)


# The characters of ``needle`` in the paragraph of ``selector`` whose text is ``text``, across the text nodes
# of its elements, each with the centre of its box; and the outermost isolates (bdi, dir=ltr) of the paragraph.
RUN_JS = """([selector, needle, text]) => {
  const p = Array.from(document.querySelectorAll(selector)).find(p => p.textContent === text);
  const at = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) for (let i = 0; i < n.data.length; i++) at.push([n, i]);
  const start = p.textContent.indexOf(needle);
  const chars = [];
  for (const [n, i] of at.slice(start, start + needle.length)) {
    if (/\\s/.test(n.data[i])) continue;
    const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
    const box = r.getClientRects()[0];
    chars.push({c: n.data[i], x: box.left + box.width / 2, y: box.top + box.height / 2});
  }
  const isolates = Array.from(p.querySelectorAll('bdi, [dir="ltr"]')).filter(e => {
    const up = e.parentElement.closest('bdi, [dir="ltr"]'); return !up || !p.contains(up); }).map(e => e.textContent);
  return {chars, isolates, text: p.textContent};
}"""


def reads_on_one_line_left_to_right(chars: list[dict]) -> bool:
    return reads_left_to_right(chars) and max(c["y"] for c in chars) - min(c["y"] for c in chars) < 4


@pytest.mark.parametrize("sentence,run,before,plain_right", WHOLE_RUNS, ids=[r for _, r, _, _ in WHOLE_RUNS])
def test_a_run_reads_whole_across_formatting_urls_and_signs(whole_site, page, sentence, run, before, plain_right):
    from microlearn.markdown.dialect import make_markdown

    text = unescape(re.sub("<[^>]+>", "", make_markdown().renderInline(sentence, {}))) + "."
    open_page(page, whole_site / "fa" / "whole" / "handout.html")
    hit = page.evaluate(RUN_JS, ["main p", run, text])
    assert run in hit["isolates"], f"{run}: not one isolate of its own: {hit['isolates']}"
    assert not any(re.search("[\u0600-\u06ff]", iso) for iso in hit["isolates"]), "Persian inside an isolate"
    assert reads_on_one_line_left_to_right(hit["chars"]), f"{run} is laid out out of order: {hit['chars']}"
    # the controls, as paragraphs of the same page: the earlier HTML, and the text with no markup
    page.evaluate("""([html, text]) => { const main = document.querySelector('main');
        const plain = document.createElement('p'); plain.id = 'plain'; plain.textContent = text; main.prepend(plain);
        const before = document.createElement('p'); before.id = 'before'; before.innerHTML = html; main.prepend(before);
    }""", [(before or "") + ".", text])
    plain = page.evaluate(RUN_JS, ["#plain", run, text])
    assert plain["isolates"] == []
    assert reads_on_one_line_left_to_right(plain["chars"]) == plain_right, f"{run}: with no markup"
    if before is not None:
        earlier = page.evaluate(RUN_JS, ["#before", run, text])
        assert not reads_on_one_line_left_to_right(earlier["chars"]), f"{run}: the earlier HTML read right?"


def test_whole_runs_in_the_html_of_the_deck_and_the_handout(whole_site, page):
    for name in ("index.html", "handout.html"):
        html = (whole_site / "fa" / "whole" / name).read_text(encoding="utf-8")
        assert 'ابزار <bdi dir="ltr"><strong>Google</strong> Analytics</bdi> را ببینید.' in html
        assert 'ابزار <bdi dir="ltr"><a href="https://google.com">Google</a> Analytics</bdi> را ببینید.' in html
        assert 'دستور <bdi dir="ltr"><code dir="ltr">npm</code> install</bdi> را اجرا کنید.' in html
        assert 'به <a href="https://example.org/a?b=2" dir="ltr">https://example.org/a?b=2</a> بروید.' in html
        assert 'dir="auto"' not in html
        open_page(page, whole_site / "fa" / "whole" / name)
        assert page.evaluate(LOOSE_LATIN_JS) == [], name
