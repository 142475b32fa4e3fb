"""Script injection: a lesson (and a catalog) full of payloads, built and opened in Chromium, runs no
script from content. Every payload would set window.__xss or open a dialog; neither may happen.

Where it is enforced: raw HTML is escaped (markdown.make_markdown, html off unless raw_html), refused
addresses (markdown._validate_link, parse._collect_refs), autoescaping Jinja2 templates and escaped
translations (render.Renderer.env), JSON for scripts that cannot close its element (render._json_for_script).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import block_network
from microlearn.site.build import build

PAYLOADS = [
    "<script>window.__xss = 1; alert(1)</script>",
    "<img src=x onerror=\"window.__xss = 2; alert(2)\">",
    "<svg onload=\"window.__xss = 3\"><circle r=9></circle></svg>",
    "\"><script>window.__xss = 4</script>",
    "</script><script>window.__xss = 5</script><!--",
    "<iframe srcdoc=\"<script>parent.__xss = 6</script>\"></iframe>",
    "<a href=\"javascript:window.__xss = 7\" id=\"evil-link\">evil</a>",
    "<details open ontoggle=\"window.__xss = 8\">x</details>",
    "'><body onload=window.__xss=9>",
    "{{ 7 * 7 }}{% raw %}",
]
ALL = " ".join(PAYLOADS)


def yaml_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Refused addresses in the front matter ("[click](javascript:…)" in an objective) stop the build, as in the
# body (issue 13, L6): test_hostile_site.test_refused_links_in_front_matter_stop_the_build.
LESSON = f"""---
title: {yaml_text("Τίτλος " + ALL)}
competence_area: {yaml_text(ALL)}
objectives:
  - {yaml_text(ALL)}
key_messages:
  - {yaml_text(ALL)}
discussion:
  - {yaml_text(ALL)}
follow_up: {yaml_text(ALL)}
credits: {yaml_text(ALL)}
---

{ALL}

## Στάδιο {PAYLOADS[0]} {{time=1m}}

{ALL}

[a titled link](https://example.org/ "\\" onmouseover=\\"window.__xss = 11")

| {PAYLOADS[1]} | b |
|---|---|
| {PAYLOADS[2]} | c |

::: notes
{ALL}
:::

## Δεύτερο στάδιο {{time=1m}}

`{PAYLOADS[0]}`

```
{ALL}
```

::: notes
</script><script>window.__xss = 12</script> {ALL}
:::
"""
CATALOG = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Learning objectives"
msgstr "<img src=x onerror=\\"window.__xss = 20\\">Στόχοι"

msgid "Key messages"
msgstr "<script>window.__xss = 21</script>"

msgid "Narration"
msgstr "</script><script>window.__xss = 22</script>"
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("xss") / "project"
    (root / "content" / "evil").mkdir(parents=True)
    (root / "content" / "evil" / "el.md").write_text(LESSON, encoding="utf-8")
    (root / "microlearn.yml").write_text("languages:\n  el:\n    title: Δοκιμή <script>window.__xss=30</script>\n",
                                         encoding="utf-8")
    catalogs = root / "locales" / "el" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    (catalogs / "messages.po").write_text(CATALOG, encoding="utf-8")
    result = build(root, root / "site", with_pdf=False)
    assert any(w.code == "raw-html" for w in result.warnings), "check warns that raw HTML is shown as text"
    return result.out


PAGES = ["el/evil/index.html", "el/evil/index.html?presenter", "el/evil/handout.html", "el/index.html",
         "index.html"]


@pytest.mark.parametrize("page_path", PAGES)
def test_no_script_from_content_runs(hostile_site, page, page_path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    block_network(page, requests)
    name, _, query = page_path.partition("?")
    page.goto((hostile_site / name).as_uri() + (f"?{query}" if query else ""))
    page.wait_for_load_state("load")
    if "index.html" in name and name != "index.html" and name != "el/index.html":
        for _ in range(12):  # show every slide (and its notes in the presenter view)
            page.keyboard.press("ArrowRight")
        page.keyboard.press("o")
        page.keyboard.press("?")
        page.keyboard.press("Escape")
    page.evaluate("""() => document.querySelectorAll('a, img, details, svg').forEach(e => {  // hover, focus
        for (const kind of ['mouseover', 'mouseenter', 'focus']) e.dispatchEvent(new Event(kind, {bubbles: true}));
    })""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e =>
        [...e.attributes].filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
        .map(a => e.tagName + ' ' + a.name))""")
    assert handlers == [], "no element carries an event handler or javascript: address"
    scripts = page.evaluate("""() => [...document.scripts].filter(s => s.type !== 'application/json')
        .map(s => s.src || s.textContent)""")
    assert not any("__xss" in s for s in scripts), "only the theme's own scripts are scripts"
    assert page.locator("iframe, svg circle, details[ontoggle]").count() == 0
    assert requests == []


def test_payloads_are_shown_as_text(hostile_site):
    deck = (hostile_site / "el" / "evil" / "index.html").read_text(encoding="utf-8")
    deck = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", deck, flags=re.DOTALL)
    assert "&lt;script&gt;window.__xss = 1" in deck, "raw HTML is escaped, not dropped"
    assert "{{ 7 * 7 }}" in deck, "lesson text is never evaluated as a template"
    assert "<script>window.__xss" not in deck
    handout = (hostile_site / "el" / "evil" / "handout.html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in handout and "onerror=\"window" not in handout
