"""The parser on real lesson files: the example lessons and small fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from microlearn.errors import MicrolearnError
from microlearn.lessons.parse import parse_lesson
from microlearn.lessons.project import language_is_rtl
from microlearn.markdown.bidi import isolate_ltr_text
from microlearn.project.config import load_config
from microlearn.project.sources import find_lesson_files

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


# Author mistakes (each with the line, column and message it gets) are folders of tests/fixtures/mistakes/,
# run by test_mistakes_spec.py.


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
    from microlearn.markdown.dialect import make_markdown

    assert make_markdown().renderInline(text, {"rtl": True}) == html
    assert isolate_ltr_text(text, rtl=True) == html
    assert make_markdown().renderInline(text, {"rtl": False}) == text, "left-to-right lessons: untouched"


def test_lesson_titles_have_an_isolated_html_form(tmp_path):
    from microlearn.site.cache import BuildCache

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


@pytest.mark.parametrize("text,html", [
    # a URL is one run: query, fragment and closing "/" in; closing punctuation and Persian out
    ("آدرس https://example.com/shop?id=5&lang=fa#top را", 'آدرس <bdi dir="ltr">https://example.com/shop?id=5&amp;lang=fa#top</bdi> را'),
    ("مسیر https://example.org/path/، و https://example.org. و www.example.com/a?b=1؟",
     'مسیر <bdi dir="ltr">https://example.org/path/</bdi>، و <bdi dir="ltr">https://example.org</bdi>. و '
     '<bdi dir="ltr">www.example.com/a?b=1</bdi>؟'),
    ("سایت example.com/shop?id=5 و example.com.", 'سایت <bdi dir="ltr">example.com/shop?id=5</bdi> و <bdi dir="ltr">example.com</bdi>.'),
    ("(https://en.wikipedia.org/wiki/A_(b)) و https://x.org/فروش",
     '<bdi dir="ltr">(https://en.wikipedia.org/wiki/A_(b))</bdi> و <bdi dir="ltr">https://x.org/</bdi>فروش'),
    # subscripts, superscripts, currencies, a plus after a number, a dot, dashes or a slash first
    ("فرمول H₂O و CO₂ و C₆H₁₂O₆ و E=mc² و x⁴", 'فرمول <bdi dir="ltr">H₂O</bdi> و <bdi dir="ltr">CO₂</bdi> و '
     '<bdi dir="ltr">C₆H₁₂O₆</bdi> و <bdi dir="ltr">E=mc²</bdi> و <bdi dir="ltr">x⁴</bdi>'),
    ("قیمت €10 و $10 و £5 و ¥500 و 10 €", 'قیمت <bdi dir="ltr">€10</bdi> و <bdi dir="ltr">$10</bdi> و <bdi dir="ltr">£5</bdi>'
     ' و <bdi dir="ltr">¥500</bdi> و <bdi dir="ltr">10 €</bdi>'),
    ("سن 10+ و 5+ و 3+4", 'سن <bdi dir="ltr">10+</bdi> و <bdi dir="ltr">5+</bdi> و <bdi dir="ltr">3+4</bdi>'),
    ("با .NET و --version و /usr/bin/python3 و ./run.sh و ~/bin و /usr/local/ و v2.0.1",
     'با <bdi dir="ltr">.NET</bdi> و <bdi dir="ltr">--version</bdi> و <bdi dir="ltr">/usr/bin/python3</bdi> و '
     '<bdi dir="ltr">./run.sh</bdi> و <bdi dir="ltr">~/bin</bdi> و <bdi dir="ltr">/usr/local/</bdi> و '
     '<bdi dir="ltr">v2.0.1</bdi>'),
    # what stays out: Persian digits after a sign, the Rial sign, و/یا, a sign with nothing Latin after it
    ("$۱۰ و ۱۰+ و ۱۰۰ ﷼ و و/یا و FOMO = ترس و ۲ € و .فروش و /فروش",
     '$۱۰ و ۱۰+ و ۱۰۰ ﷼ و و/یا و <bdi dir="ltr">FOMO</bdi> = ترس و ۲ € و .فروش و /فروش'),
])
def test_the_run_grammar_takes_urls_formulas_prices_and_paths(text, html):
    from microlearn.markdown.dialect import make_markdown

    assert isolate_ltr_text(text, rtl=True) == html
    assert make_markdown().renderInline(text, {"rtl": True}) == html


@pytest.mark.parametrize("text,html", [
    # a run goes on through emphasis, links and code; the <bdi> takes in whole tags to stay nested
    ("ابزار **Google** Analytics", 'ابزار <bdi dir="ltr"><strong>Google</strong> Analytics</bdi>'),
    ("***Google*** Analytics و ~~Google~~ Ads", '<bdi dir="ltr"><em><strong>Google</strong></em> Analytics</bdi> و '
     '<bdi dir="ltr"><s>Google</s> Ads</bdi>'),
    ("فروش *Omni*-channel و (**Omni**-channel)", 'فروش <bdi dir="ltr"><em>Omni</em>-channel</bdi> و '
     '<bdi dir="ltr">(<strong>Omni</strong>-channel)</bdi>'),
    ("ابزار [Google](https://google.com) Analytics", 'ابزار <bdi dir="ltr"><a href="https://google.com">Google</a> Analytics</bdi>'),
    ("دستور `npm` install و `npm` `ci`", 'دستور <bdi dir="ltr"><code dir="ltr">npm</code> install</bdi> و '
     '<bdi dir="ltr"><code dir="ltr">npm</code> <code dir="ltr">ci</code></bdi>'),
    # inside one element the <bdi> stays inside it
    ("فروش **FOMO** و [Google **Ads**](https://ads.google.com) است", 'فروش <strong><bdi dir="ltr">FOMO</bdi></strong> و '
     '<a href="https://ads.google.com"><bdi dir="ltr">Google <strong>Ads</strong></bdi></a> است'),
    # a lone code span or URL link is isolated by its own dir, with no <bdi> around it
    ("دستور `npm install` و <https://example.org/a?b=2> و <info@example.com>",
     'دستور <code dir="ltr">npm install</code> و <a href="https://example.org/a?b=2" dir="ltr">https://example.org/a?b=2</a>'
     ' و <a href="mailto:info@example.com" dir="ltr">info@example.com</a>'),
    ("نشانی [https://example.net/a?b=2](https://example.net/a?b=2) و [سایت](https://example.net)",
     'نشانی <a href="https://example.net/a?b=2" dir="ltr">https://example.net/a?b=2</a> و <a href="https://example.net">سایت</a>'),
    # a run that would not nest cuts emphasis in two; one that would cut a link is isolated piece by piece
    ("Google **Analytics یعنی** ابزار", '<bdi dir="ltr">Google <strong>Analytics</strong></bdi><strong> یعنی</strong> ابزار'),
    ("*یعنی **Google*** Analytics", '<em>یعنی </em><bdi dir="ltr"><em><strong>Google</strong></em> Analytics</bdi>'),
    ("Google [Analytics یعنی](u) ابزار", '<bdi dir="ltr">Google</bdi> <a href="u"><bdi dir="ltr">Analytics</bdi> یعنی</a> ابزار'),
    # images and hard breaks end a run; a soft line break does not
    ("خط Google\nAnalytics و Google  \nAds و ![x](a.png) Google", 'خط <bdi dir="ltr">Google\nAnalytics</bdi> و '
     '<bdi dir="ltr">Google</bdi><br />\n<bdi dir="ltr">Ads</bdi> و <img src="a.png" alt="x" /> <bdi dir="ltr">Google</bdi>'),
    ("FOMO یعنی *ترس* و Google", '<bdi dir="ltr">FOMO</bdi> یعنی <em>ترس</em> و <bdi dir="ltr">Google</bdi>'),
])
def test_runs_span_the_inline_formatting_of_a_right_to_left_lesson(text, html):
    from microlearn.markdown.dialect import make_markdown

    md = make_markdown()
    assert md.renderInline(text, {"rtl": True}) == html
    assert "<bdi" not in md.renderInline(text, {"rtl": False}) and 'dir="ltr"' not in md.renderInline(text, {"rtl": False})


WORDS = ["Google", "Analytics", "FOMO", "5 MB", "H₂O", "€10", "10+", ".NET", "/usr/bin", "C++", "(Omni-channel)",
         "https://example.com/a?b=1&c=2#d", "www.example.org/x/", "فروش", "همه\u200cکاناله", "۱۲", "،", "؛", "؟", "«", "»",
         " ", " ", "-", ".", "(", ")", "/", "+", "#", "@", "=", "&", "`", "*", "**", "_", "~~", "[", "](u)", "<", ">",
         "https://x.org", "\n", "  \n", "![i](p.png)", "<b>", "</b>", "یعنی", " Analytics"]


def test_isolation_only_adds_bdi_and_dir_and_keeps_the_html_nested():
    """Any mix of Latin, Persian and inline Markdown: the right-to-left HTML is the left-to-right HTML plus
    <bdi dir="ltr"> and dir="ltr" only (and emphasis cut in two: "</strong><strong>"), properly nested, and
    no Persian or Arabic letter inside a <bdi>."""
    import re
    from html.parser import HTMLParser

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from microlearn.markdown.dialect import make_markdown

    class Nesting(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack: list[str] = []
            self.bdi_text: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("img", "br", "hr"):
                self.stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            pass  # <img /> and <br />

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack)
            self.stack.pop()

        def handle_data(self, data):
            if "bdi" in self.stack and "code" not in self.stack:  # code is left to right anyway
                self.bdi_text.append(data)

    def joined(html: str) -> str:
        html = html.replace(' dir="ltr"', "")
        while (again := re.sub(r"</(em|strong|s)><\1>", "", html)) != html:
            html = again
        return html

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.sampled_from(WORDS), max_size=14).map("".join), st.booleans())
    def check(text, raw_html):
        md = make_markdown(raw_html)
        rtl = md.render(text, {"rtl": True})
        assert joined(rtl.replace('<bdi dir="ltr">', "").replace("</bdi>", "")) == joined(md.render(text, {"rtl": False}))
        if raw_html:
            return  # the author's own tags need not nest
        parser = Nesting()
        parser.feed(rtl)
        parser.close()
        assert parser.stack == []
        inside = "".join(parser.bdi_text)
        assert not any("\u0600" <= c <= "\u06ff" for c in inside), inside

    check()


@given(st.text(alphabet=st.sampled_from("اب ۱ a Z 5 ( ) # @ + - ~ . / $ € ° ² ، « » \u200c:?=&"), max_size=40))
def test_the_quick_start_of_ltr_spans_finds_what_a_full_scan_finds(text):
    """ltr_spans starts its scan a few signs before the first letter or digit; nothing before is lost."""
    from microlearn.markdown.bidi import LTR_RUN, ltr_spans

    full = []
    for match in LTR_RUN.finditer(text):
        run, start, end = match.group(0), match.start(), match.end()
        start += run.startswith("(") and not run.endswith(")")
        end -= run.endswith(")") and not run.startswith("(")
        if end > start:
            full.append((start, end))
    assert list(ltr_spans(text)) == full


def test_isolating_a_right_to_left_inline_leaves_the_tokens_it_reads_as_they_were():
    """The isolation returns new tokens: a link of a URL gets dir="ltr" on a copy, not on the parser's token."""
    from microlearn.markdown.bidi import isolate_inline
    from microlearn.markdown.dialect import make_markdown

    md = make_markdown()
    [_, inline, _] = md.parse("برو به <https://example.org/shop> و **Google** Analytics را ببین.\n", {"rtl": False})
    before = [(t.type, dict(t.attrs), t.content) for t in inline.children]
    isolated = isolate_inline(inline.children)
    assert [(t.type, dict(t.attrs), t.content) for t in inline.children] == before
    [link] = [t for t in isolated if t.type == "link_open"]
    assert link.attrs == {"href": "https://example.org/shop", "dir": "ltr"}
    assert '<bdi dir="ltr"><strong>Google</strong> Analytics</bdi>' in md.renderer.render(isolated, md.options, {})


@pytest.mark.parametrize("code", ["el-gr", "el-Grek-gr", "ell-x-private"])
def test_translation_of_takes_the_config_s_language_codes(tmp_path, code):
    """translation_of is read with the config's grammar of language codes (langtag), so a code the config
    would refuse is refused where it is written, not later as a missing file."""
    from microlearn.i18n.langtag import is_language_code

    assert not is_language_code(code)
    src = tmp_path / "fa.md"
    src.write_text(f"---\ntitle: x\nobjectives: [a]\ntranslation_of: {code}\n---\n\n## S {{time=1m}}\n\nx\n",
                   encoding="utf-8")
    with pytest.raises(MicrolearnError) as info:
        parse_lesson(src, "t", "fa")
    assert (info.value.line, info.value.col, info.value.message) == (
        4, 17, "'translation_of' must be a language code such as 'el'")
