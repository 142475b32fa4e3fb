"""Durations as a reader of each language writes them in a lesson plan: every shipped language (and he,
tr), 1 s to 10 h, as data. The same strings under every Babel release the project supports (constraints.txt
pins the tested one; `scripts/test --latest` runs these against the newest)."""

from __future__ import annotations

import shutil

import pytest

from microlearn.i18n.language import format_duration, language_info
from microlearn.site.build import build

SECONDS = (1, 2, 5, 45, 60, 90, 120, 300, 660, 3600, 3660, 4200, 5400, 7200, 7322, 36000)

# language -> the text for each entry of SECONDS, in that order (Latin digits; see the Arabic-Indic case below)
NATIVE = {
    "el": ["1 δευτερόλεπτο", "2 δευτερόλεπτα", "5 δευτερόλεπτα", "45 δευτερόλεπτα", "1 λεπτό",
           "1 λεπτό και 30 δευτερόλεπτα", "2 λεπτά", "5 λεπτά", "11 λεπτά", "1 ώρα", "1 ώρα και 1 λεπτό",
           "1 ώρα και 10 λεπτά", "1 ώρα και 30 λεπτά", "2 ώρες", "2 ώρες, 2 λεπτά και 2 δευτερόλεπτα",
           "10 ώρες"],
    "ru": ["1 секунда", "2 секунды", "5 секунд", "45 секунд", "1 минута", "1 минута 30 секунд", "2 минуты",
           "5 минут", "11 минут", "1 час", "1 час 1 минута", "1 час 10 минут", "1 час 30 минут", "2 часа",
           "2 часа 2 минуты 2 секунды", "10 часов"],
    "fa": ["۱ ثانیه", "۲ ثانیه", "۵ ثانیه", "۴۵ ثانیه", "۱ دقیقه", "۱ دقیقه و ۳۰ ثانیه", "۲ دقیقه",
           "۵ دقیقه", "۱۱ دقیقه", "۱ ساعت", "۱ ساعت و ۱ دقیقه", "۱ ساعت و ۱۰ دقیقه", "۱ ساعت و ۳۰ دقیقه",
           "۲ ساعت", "۲ ساعت و ۲ دقیقه و ۲ ثانیه", "۱۰ ساعت"],
    "ar": ["ثانية", "ثانيتان", "5 ثوان", "45 ثانية", "دقيقة", "دقيقة و30 ثانية", "دقيقتان", "5 دقائق",
           "11 دقيقة", "ساعة", "ساعة ودقيقة", "ساعة و10 دقائق", "ساعة و30 دقيقة", "ساعتان",
           "ساعتان ودقيقتان وثانيتان", "10 ساعات"],
    "he": ["1 שניה", "שתי שניות", "5 שניות", "45 שניות", "1 דקה", "1 דקה ו-30 שניות", "שתי דקות", "5 דקות",
           "11 דקות", "1 שעה", "1 שעה ו-1 דקה", "1 שעה ו-10 דקות", "1 שעה ו-30 דקות", "שעתיים",
           "שעתיים, שתי דקות ושתי שניות", "10 שעות"],
    "tr": ["1 saniye", "2 saniye", "5 saniye", "45 saniye", "1 dakika", "1 dakika 30 saniye", "2 dakika",
           "5 dakika", "11 dakika", "1 saat", "1 saat 1 dakika", "1 saat 10 dakika", "1 saat 30 dakika",
           "2 saat", "2 saat 2 dakika 2 saniye", "10 saat"],
}
CASES = [(lang, seconds, text) for lang, texts in NATIVE.items() for seconds, text in zip(SECONDS, texts, strict=False)]


@pytest.mark.parametrize("lang, seconds, expected", CASES, ids=[f"{c[0]}-{c[1]}s" for c in CASES])
def test_duration_reads_as_a_native_writes_it(lang, seconds, expected):
    text = format_duration(seconds, language_info(lang))
    assert text == expected
    assert "\u200e" not in text and "\u200f" not in text


def test_each_part_appears_once_in_every_language():
    """The Babel 2.18/2.19 fault: a two-part Arabic duration repeated its last part."""
    for lang in ("el", "ru", "fa", "ar", "he", "tr", "en", "uk", "de", "ja"):
        info = language_info(lang)
        for hours in range(1, 11):
            for minutes in range(1, 60):
                text = format_duration(hours * 3600 + minutes * 60, info)
                part = format_duration(minutes * 60, info)
                assert text.count(part) == 1 and format_duration(hours * 3600, info) in text, (lang, text)


def test_arabic_indic_digits(tmp_path):
    assert format_duration(4200, language_info("ar", "arab")) == "ساعة و١٠ دقائق"
    assert format_duration(5, language_info("ar", "arab")) == "٥ ثوان"


def test_arabic_hour_and_minutes_on_every_page_of_a_lesson(tmp_path):
    """`duration: 1h 10m` on the title slide, the catalog card, the handout and the timing table."""
    project = tmp_path / "p"
    (project / "content" / "long").mkdir(parents=True)
    (project / "microlearn.yml").write_text("languages:\n  ar:\n    title: دروس\n", encoding="utf-8")
    (project / "content" / "long" / "ar.md").write_text(
        "---\ntitle: درس طويل\nduration: 1h 10m\nobjectives:\n  - أن نجرّب.\n---\n\n"
        "## البداية {time=1h}\n\nنص.\n\n::: notes\nسرد.\n:::\n\n"
        "## النهاية {time=10m}\n\nنص.\n\n::: notes\nسرد.\n:::\n", encoding="utf-8")
    site = build(project, project / "site", with_pdf=False).out
    want = "ساعة و10 دقائق"
    for page in ("ar/long/index.html", "ar/long/handout.html", "ar/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert want in html, page
        assert "دقائق، و10" not in html and html.count("و10 دقائق، و10 دقائق") == 0, page
    shutil.rmtree(project)
