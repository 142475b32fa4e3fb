"""The parser on real lesson files: the example lessons and small fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from microlearn.config import load_config
from microlearn.content import find_lesson_files
from microlearn.errors import MicrolearnError
from microlearn.markdown import isolate_ltr_text
from microlearn.parse import parse_lesson
from microlearn.project import language_is_rtl

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lessons"


def example_files():
    config = load_config(REPO)
    return [(config, f) for f in find_lesson_files(config)]


@pytest.mark.parametrize("config,file", example_files(), ids=lambda v: getattr(v, "lesson_id", "") and
                         f"{v.lesson_id}/{v.lang}")
def test_every_example_lesson_is_complete(config, file):
    lesson, warnings = parse_lesson(file.path, file.lesson_id, file.lang, rtl=language_is_rtl(config, file.lang))
    assert lesson.title and lesson.objectives and lesson.key_messages and lesson.discussion
    assert lesson.stages, "a lesson has stages"
    for stage in lesson.stages:
        assert stage.seconds, f"stage {stage.title!r} has a time budget"
        assert all(slide.notes_html.strip() for slide in stage.slides), f"stage {stage.title!r} has narration"
    assert lesson.duration == sum(s.seconds for s in lesson.stages), "budgets add up to the duration"
    assert [w for w in warnings if w.level == "error"] == []


def test_the_example_content_covers_the_seeds():
    found = {(f.lesson_id, f.lang) for _, f in example_files()}
    expected = {("ecommerce-cycle", lang) for lang in ("el", "ru", "fa", "ar")} | {
        ("omnichannel-sales", "el"), ("customer-journey-map", "ru"), ("customer-journey-tips", "fa"),
        ("ecommerce-stages", "ar")}
    assert expected <= found


def test_continuation_slides_share_the_stage_and_its_time():
    lesson, _ = parse_lesson(FIXTURES / "continuation.md", "continuation", "el")
    first, second = lesson.stages
    assert (first.number, first.anchor, first.classes, first.seconds) == (1, "first", ("wide",), 120)
    assert [(s.part, s.parts, s.seconds) for s in first.slides] == [(1, 3, 40), (2, 3, 40), (3, 3, 40)]
    assert "Say part two." in first.slides[1].notes_html
    assert first.slides[2].notes_html == ""
    assert first.title == "First stage"
    assert second.anchor == "stage-02" and second.seconds == 180
    assert lesson.slide_count == 4
    assert lesson.planned_seconds == 300


def test_front_matter_lists_hold_inline_markdown():
    lesson, _ = parse_lesson(FIXTURES / "continuation.md", "continuation", "el")
    assert lesson.key_messages == ("One <strong>key</strong> message",)
    assert lesson.discussion == ("What <em>changed</em>?",)
    assert lesson.follow_up.strip() == "<p>Write down one idea.</p>"


def test_rtl_lessons_isolate_latin_runs_and_keep_zwnj(tmp_path):
    src = tmp_path / "fa.md"
    src.write_text("---\ntitle: تست\nobjectives: [یک]\n---\n\n## مرحله {time=1m}\n\n"
                   "استراتژی (Omni-channel) می\u200cشود با UPS و FedEx.\n\n::: notes\nFOMO یعنی ترس.\n:::\n",
                   encoding="utf-8")
    lesson, _ = parse_lesson(src, "t", "fa", rtl=True)
    body = lesson.stages[0].slides[0].body_html
    assert '<bdi dir="ltr">(Omni-channel)</bdi>' in body
    assert '<bdi dir="ltr">UPS</bdi>' in body and '<bdi dir="ltr">FedEx</bdi>' in body
    assert "\u200c" in body
    assert '<bdi dir="ltr">FOMO</bdi>' in lesson.stages[0].slides[0].notes_html


@pytest.mark.parametrize("text,line,message", [
    ("---\ntitle: x\n", 1, "front matter is not closed"),
    ("no front matter\n", 1, "starts with front matter"),
    ("---\nobjectives: [a]\n---\n## S {time=1m}\n", 1, "'title' is required"),
    ("---\ntitle: x\n---\n## S {time=1m}\n", 1, "'objectives' is required"),
    ("---\nobjectives: [a]\ntitle: \"\u200f\u202b\"\n---\n## S {time=1m}\n", 3, "'title' must not be empty"),
    ("---\ntitle: x\nobjectives: [a]\ntitle: y\n---\n## S\n", 4, "duplicate key 'title'"),
    ("---\ntitle: [x\nobjectives: [a]\n---\n", 3, "invalid YAML"),
    ("---\ntitle: x\nobjectives: [a]\nduration: 15\n---\n## S\n", 4, "has no unit"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\n## Stage {time=2 minutes}\n", 6, "cannot read"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\n## Stage {time=2x}\n", 6, "is not a time"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\nText\n---\n", 7, "directly under text"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\n## S {time=1m}\n\n![a](missing.png)\n", 8, "not found"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\n## S {time=1m}\n\n![a](../../etc/passwd)\n", 8, "outside the lesson"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\n# Big\n", 6, "'# ' headings"),
    ("---\ntitle: x\nobjectives: [a]\n---\n\nno stages\n", 5, "no stages"),
])
def test_author_mistakes_name_the_line(tmp_path, text, line, message):
    src = tmp_path / "el.md"
    src.write_text(text, encoding="utf-8")
    with pytest.raises(MicrolearnError) as info:
        parse_lesson(src, "t", "el")
    err = info.value
    assert err.path == src
    assert err.line == line, str(err)
    assert message in err.message


def test_invalid_utf8_names_the_byte_offset(tmp_path):
    src = tmp_path / "el.md"
    src.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    with pytest.raises(MicrolearnError, match="byte offset 14") as info:
        parse_lesson(src, "t", "el")
    assert info.value.line == 2


def test_bom_crlf_and_nfc_are_accepted(tmp_path):
    src = tmp_path / "el.md"
    decomposed = "Cafe\u0301"
    src.write_bytes(("\ufeff---\r\ntitle: " + decomposed + "\r\nobjectives: [a]\r\n---\r\n\r\n## S {time=1m}\r\n\r\n"
                     "::: notes\r\nn\r\n:::\r\n").encode("utf-8"))
    lesson, _ = parse_lesson(src, "t", "el")
    assert lesson.title == "Caf\u00e9"
    assert lesson.stages[0].seconds == 60


def test_persian_titles_keep_the_zero_width_non_joiner_and_lose_bidi_controls(tmp_path):
    source = tmp_path / "fa.md"
    source.write_text("---\ntitle: سفر مشتری\nobjectives: [هدف]\n---\n\n"
                      "## \u202eمرحله تصمیم\u200cگیری {time=1m}\n\nمتن\n\n::: notes\nروایت\n:::\n",
                      encoding="utf-8")
    lesson, _ = parse_lesson(source, "journey", "fa", rtl=True)
    assert lesson.stages[0].title == "مرحله تصمیم\u200cگیری"
    # the lesson's own title too
    source.write_text("---\ntitle: \"\u202bسفر\u200cها \u200eC++\u202c\"\nobjectives: [هدف]\n---\n\n## مرحله {time=1m}\n\nمتن\n",
                      encoding="utf-8")
    lesson, _ = parse_lesson(source, "journey", "fa", rtl=True)
    assert lesson.title == "سفر\u200cها C++"
    assert lesson.title_html == 'سفر\u200cها <bdi dir="ltr">C++</bdi>'


@pytest.mark.parametrize("closing,line,message", [
    ("--", 4, "'--' does not close the front matter: write exactly three dashes '---'"),
    ("", 6, "the front matter is not closed before this stage: add a line '---' after the front matter"),
])
def test_a_front_matter_closed_wrongly_is_named_at_its_line(tmp_path, closing, line, message):
    source = tmp_path / "el.md"
    source.write_text(f"---\ntitle: Τίτλος\nobjectives: [Στόχος]\n{closing}\n\n## Στάδιο {{time=1m}}\n\n"
                      "Κείμενο.\n\n---\n\nΣυνέχεια.\n", encoding="utf-8")
    with pytest.raises(MicrolearnError) as err:
        parse_lesson(source, "lesson", "el")
    assert (err.value.line, err.value.message) == (line, message)


@pytest.mark.parametrize("text,html", [
    # signs at the edges of a run go with it
    ("با C++ و C# و Notepad++.", 'با <bdi dir="ltr">C++</bdi> و <bdi dir="ltr">C#</bdi> و <bdi dir="ltr">Notepad++</bdi>.'),
    ("برچسب #shop و @myshop", 'برچسب <bdi dir="ltr">#shop</bdi> و <bdi dir="ltr">@myshop</bdi>'),
    ("شماره +98 21 5555 است", 'شماره <bdi dir="ltr">+98 21 5555</bdi> است'),
    ("دما 25 °C یا -5 °C یا 25° است", 'دما <bdi dir="ltr">25 °C</bdi> یا <bdi dir="ltr">-5 °C</bdi> یا '
     '<bdi dir="ltr">25°</bdi> است'),
    ("برحسب °C", 'برحسب <bdi dir="ltr">°C</bdi>'),
    ("1,000 m² و 2 m³ و 10 µm و 5 ‰", '<bdi dir="ltr">1,000 m²</bdi> و <bdi dir="ltr">2 m³</bdi> و '
     '<bdi dir="ltr">10 µm</bdi> و <bdi dir="ltr">5 ‰</bdi>'),
    ("Windows® روی iPhone™", '<bdi dir="ltr">Windows®</bdi> روی <bdi dir="ltr">iPhone™</bdi>'),
    # what stays out: Persian and Arabic punctuation, digits and signs, a lone digit, a hashtag in Persian
    ("UPS، FedEx؛ Google؟", '<bdi dir="ltr">UPS</bdi>، <bdi dir="ltr">FedEx</bdi>؛ <bdi dir="ltr">Google</bdi>؟'),
    ("عدد 5 و ۱۲ و ۵٪ و #فروش و ۴-۵", "عدد 5 و ۱۲ و ۵٪ و #فروش و ۴-۵"),
    ("گفت: «FOMO» (Omni-channel).", 'گفت: «<bdi dir="ltr">FOMO</bdi>» <bdi dir="ltr">(Omni-channel)</bdi>.'),
    ("کلاس ۱۰ - ۱۲ و a + b", 'کلاس ۱۰ - ۱۲ و <bdi dir="ltr">a + b</bdi>'),
])
def test_the_left_to_right_run_grammar(text, html):
    from microlearn.markdown import make_markdown

    assert make_markdown().renderInline(text, {"rtl": True}) == html
    assert isolate_ltr_text(text, rtl=True) == html
    assert make_markdown().renderInline(text, {"rtl": False}) == text, "left-to-right lessons: untouched"


def test_lesson_titles_have_an_isolated_html_form(tmp_path):
    from microlearn.cache import BuildCache

    title = "FOMO در فروش همه\u200cکاناله (Omni-channel) با 5 MB <و> C++"
    src = tmp_path / "fa.md"
    src.write_text(f"---\ntitle: '{title}'\ncompetence_area: بازاریابی Omni-channel\nobjectives: [یک]\n---\n\n"
                   "## مرحله {time=1m}\n\nمتن\n", encoding="utf-8")
    parsed = parse_lesson(src, "t", "fa", rtl=True)
    lesson = parsed[0]
    assert lesson.title == title
    assert lesson.competence_area_html == 'بازاریابی <bdi dir="ltr">Omni-channel</bdi>', "the kicker above the title too"
    assert lesson.title_html == ('<bdi dir="ltr">FOMO</bdi> در فروش همه\u200cکاناله <bdi dir="ltr">(Omni-channel)</bdi>'
                                 ' با <bdi dir="ltr">5 MB</bdi> &lt;و&gt; <bdi dir="ltr">C++</bdi>')
    # the build cache keeps it
    store = BuildCache(tmp_path, tmp_path / "site")
    store.put_lesson("k", *parsed)
    cached, _ = store.get_lesson("k")
    assert cached.title_html == lesson.title_html and cached == lesson
    # in a left-to-right lesson the same title is only escaped
    (tmp_path / "el.md").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    el, _ = parse_lesson(tmp_path / "el.md", "t", "el")
    assert el.title_html == title.replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("text, warned", [
    ("Δείτε <https://example.org/a?b=2> ή <info@example.org>.", False),
    ("Κείμενο <b>έντονο</b>.", True),
    ("Γραμμή<br/>νέα.", True),
    ("Σχόλιο <!-- εδώ -->.", True),
    ("Αν 3 <5 και x<y.", False),
])
def test_raw_html_warning_is_for_tags_not_autolinks(tmp_path, text, warned):
    source = tmp_path / "el.md"
    source.write_text(f"---\ntitle: Τίτλος\nobjectives: [Στόχος]\n---\n\n## Στάδιο {{time=1m}}\n\n{text}\n",
                      encoding="utf-8")
    _, warnings = parse_lesson(source, "lesson", "el")
    assert any(w.code == "raw-html" for w in warnings) == warned, warnings
