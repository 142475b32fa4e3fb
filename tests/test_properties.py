"""Property-based tests: on any input at all, the parser and the whole build either succeed or raise
MicrolearnError with a location; nothing else ever escapes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from microlearn.errors import MicrolearnError
from microlearn.lessons.parse import parse_lesson
from microlearn.site.build import build

CONFIG = "languages:\n  el:\n    title: Δοκιμή\n  fa:\n    title: آزمایش\n"
HEAD = "---\ntitle: Δοκιμή\nobjectives:\n  - Να δοκιμάσουμε.\n---\n\n"

# Characters that break naive code: bidi controls and isolates, zero-width joiners, BOM, NUL and other
# controls, line and paragraph separators, combining marks, right-to-left letters, astral symbols.
AWKWARD = ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b\u200c\u200d\ufeff"
           "\x00\x01\x0b\x0c\x1b\x7f\x85\u2028\u2029\r\t\u0301\u0651\u064b\u0627\u05d0\u06f1\U0001f600"
           "\U000e0001\uffff\ufffd")
MARKDOWN = ["## ", "# ", "### ", "- ", "* ", "1. ", "> ", "    ", "```", "~~~", "::: notes", ":::", "---", "***",
            "{time=2m}", "{time=}", "{#x .y}", "{", "}", "[a](b.png)", "![x](", "](", "](javascript:", "<script>",
            "<img src=x onerror=alert(1)>", "&#x0;", "&amp;", "`", "*", "_", "|", "|---|", "\\", "\n", "\n\n",
            "title:", "objectives:", "  - ", "...", "%(num)s", "{{ x }}", "{% x %}"]

fragments = st.one_of(
    st.sampled_from(MARKDOWN),
    st.text(alphabet=st.sampled_from(AWKWARD), min_size=1, max_size=8),
    st.text(max_size=20),
)
lesson_text = st.lists(fragments, max_size=60).map("".join)


def huge_line(n: int) -> str:
    return "λ" * n


def nested_list(depth: int) -> str:
    return "".join("  " * i + "- στοιχείο\n" for i in range(depth))


def nested_quotes(depth: int) -> str:
    return "> " * depth + "κείμενο\n"


def check_error(err: MicrolearnError, path: Path) -> None:
    assert err.path is not None, f"no location: {err}"
    assert err.path.resolve().is_relative_to(path.parent.resolve().parent.parent), str(err)
    if err.path.resolve() == path.resolve():
        assert err.line is not None and err.line >= 1, f"no line: {err}"


def parse_file(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "content" / "x" / "el.md"
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        try:
            parse_lesson(path, "x", "el", rtl=False)
            parse_lesson(path, "x", "el", rtl=True)
        except MicrolearnError as err:
            check_error(err, path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf---\r\ntitle: x\r\nobjectives: [a]\r\n---\r\n## a\r\n")
@example(b"---\ntitle: \xff\n---\n")
def test_parser_on_arbitrary_bytes(data):
    parse_file(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lesson_text, st.booleans())
@example(nested_list(2000), True)
@example(nested_quotes(5000), False)
@example("## " + "[" * 20000 + "\n", False)
@example("## a\n\n" + "*" * 50000 + "\n", False)
@example("## \u202e\u2066 x {time=1m}\n\n" + huge_line(2_000_000), True)
@example("## a\n\n" + "::: notes\n" * 3000, False)
def test_parser_on_arbitrary_lesson_text(body, with_head):
    text = (HEAD if with_head else "") + body
    parse_file(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(AWKWARD + "ab: -[]{}'\"\n&*!|>%@`#"), max_size=120))
def test_parser_on_arbitrary_front_matter(front):
    parse_file(("---\n" + front + "\n---\n\n## a {time=1m}\n\nb\n").encode("utf-8", "surrogatepass"))


def build_project(lessons: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for rel, text in lessons.items():
            path = root / "content" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        (root / "microlearn.yml").write_text(CONFIG, encoding="utf-8")
        try:
            result = build(root, Path(tmp) / "site", with_pdf=False)
        except MicrolearnError as err:
            event(f"refused: {err.message[:30]}")
            assert err.path is not None, f"no location: {err}"
            assert err.path.resolve().is_relative_to(root.resolve()), str(err)
            return
        event("built")
        site = result.out.resolve()
        assert site == (Path(tmp) / "site").resolve()
        for p in Path(tmp).iterdir():
            assert p.name in ("project", "site"), f"something written beside the site: {p}"
        shutil.rmtree(site)


stage_body = st.lists(fragments, max_size=25).map("".join)


TITLE_CHARS = AWKWARD.replace("\x00", "") + "αβγ abc"


@pytest.mark.slow  # a hundred whole builds
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(TITLE_CHARS), min_size=1, max_size=30),
       st.lists(st.tuples(st.text(alphabet=st.sampled_from(TITLE_CHARS + "{}#=."), max_size=20), stage_body),
                min_size=1, max_size=5),
       st.sampled_from(["el", "fa"]))
@example("Τίτλος", [("Στάδιο", nested_list(300))], "fa")
@example("\u202eΤίτλος\u2069", [("\u202e", "x"), ("a {time=1m}", huge_line(300_000))], "el")
def test_whole_build_on_arbitrary_lessons(title, stages, lang):
    body = "".join(f"## {heading}\n\n{text}\n\n::: notes\nΑφήγηση.\n:::\n\n" for heading, text in stages)
    front = f"---\ntitle: {title!r}\nobjectives:\n  - στόχος\n---\n\n" if "'" not in title else HEAD
    build_project({f"x/{lang}.md": front + body, "y/el.md": HEAD + "## Καλό {time=1m}\n\nΚείμενο.\n"})
