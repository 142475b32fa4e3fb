"""Lesson sources to the lesson model. Every author mistake becomes a MicrolearnError at a line."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from microlearn.errors import Diagnostic, MicrolearnError
from microlearn.i18n.langtag import is_language_code
from microlearn.lessons import layout, timing
from microlearn.lessons.images import check_image
from microlearn.lessons.model import Image, Lesson, Link, Option, Question, Slide, Stage
from microlearn.markdown.bidi import isolate_ltr_text
from microlearn.markdown.dialect import (
    BAD_SCHEME,
    CONTAINERS,
    SAFE_IMAGE_DATA,
    make_markdown,
    parse_attrs,
    split_heading_attrs,
)
from microlearn.project import yamldoc
from microlearn.project.sources import MAX_LESSON_BYTES, check_lesson_file

MAX_TEXT = 5_000  # characters in one front matter value
MAX_ITEMS = 100  # items in one front matter list
MAX_STAGES = 5_000
DEFAULT_PASS_MARK = 80  # percent
_PASS_MARK = re.compile(r"([0-9]{1,3})\s*%?")

FIELDS = {
    "title", "objectives", "competence_area", "key_messages", "duration", "discussion",
    "follow_up", "credits", "translation_of", "source_revision", "pass_mark", "materials",
}
# Bidi controls and stray zero-width spaces kept out of titles and every front matter text (the pages
# isolate left-to-right runs themselves; an override in an objective would reorder what readers see).
# The zero-width non-joiner and joiner (U+200C, U+200D) stay: Persian spells words with them (تصمیم‌گیری).
_TITLE_CONTROLS = re.compile(r"[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
ANCHOR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
# Ids the built-in pages give their own elements (deck.html, handout.html, serve's error overlay), and the
# prefixes of those they generate (h-<stage>, slide-<n>, stage-<nn>): a stage may not take one, or a
# script or a table of contents would find the stage instead (`{#ml-data}` stopped the deck's script).
RESERVED_IDS = frozenset({"announcer", "deck", "discussion", "follow-up", "intro", "microlearn-error",
                          "ml-data", "timing", "top"})
RESERVED_ID_PREFIXES = ("h-", "slide-", "stage-")


def reserved_id(ident: str) -> bool:
    """Whether a page already uses ``ident`` (or may generate it)."""
    return ident in RESERVED_IDS or ident.startswith(RESERVED_ID_PREFIXES)


# A refused address left as text by markdown-it: after "](" or "![…](" (inline), "<" (autolink) or
# "]:" (reference definition), optionally in angle brackets. Group 1 is set for an image.
_REFUSED_ADDRESS = re.compile(r"(?:(!)\[[^\]]*\]\(|\]\(|\]:|<)\s*<?\s*(?:javascript|vbscript|data|file):",
                              re.I)


@dataclass(frozen=True)
class Source:
    """A lesson file's text, decoded and normalised, with its content hash (``revision``)."""

    path: Path
    text: str
    revision: str


# An HTML tag, closing tag or comment in text; not an autolink such as <https://…> or <me@example.org>.
_RAW_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s|/?>)|/[A-Za-z]|!)")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef]")


def read_source(path: Path) -> Source:
    """Decode UTF-8 (a BOM is allowed), unify line ends, normalise to NFC."""
    check_lesson_file(path)
    data = path.read_bytes()
    if len(data) > MAX_LESSON_BYTES:  # it grew since it was found
        raise MicrolearnError(f"the lesson is {len(data):,} bytes; the limit is {MAX_LESSON_BYTES:,}: "
                              "split it into several lessons", path, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise MicrolearnError(
            f"not valid UTF-8 at byte offset {err.start}; save the file as UTF-8", path, line) from None
    if "\x00" in text:
        offset = text.index("\x00")
        raise MicrolearnError("the file contains a NUL character; is it really a text file?", path,
                              text.count("\n", 0, offset) + 1)
    internal = _NONCHARACTER.search(text)
    if internal:  # i18n marks interface text with them; no text is meant to carry one
        raise MicrolearnError(f"the file contains the Unicode noncharacter U+{ord(internal.group()):04X}, "
                              "which is for programs' internal use; delete it", path,
                              text.count("\n", 0, internal.start()) + 1)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    revision = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Source(path, text, revision)


def split_front_matter(source: Source) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts)."""
    lines = source.text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise MicrolearnError(
            "a lesson starts with front matter: a line '---', then 'title:' and 'objectives:', then '---'",
            source.path, 1, 1)
    for i in range(1, len(lines)):
        line = lines[i].strip()
        if line in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
        if re.fullmatch(r"-{2}|-{4,}", line):
            raise MicrolearnError(f"'{line}' does not close the front matter: write exactly three dashes "
                                  "'---'", source.path, i + 1, 1)
        if (re.match(r"##\s+\S", line) and split_heading_attrs(line)) \
                or re.match(r":{3,}\s*(?:notes|trainer|question|columns?)\b", line):
            raise MicrolearnError("the front matter is not closed before this stage: add a line '---' after "
                                  "the front matter", source.path, i + 1, 1)
    raise MicrolearnError("the front matter is not closed: add a line '---' after it", source.path, 1, 1)


def _text_field(meta: dict, key: str, path: Path, line: int, required: bool = False) -> str:
    """The text of ``key``; a mistake is reported where its value stands (``line``: where the key is)."""
    value = meta.get(key)
    if value is None or (value is False and key == "follow_up"):
        if required:
            raise MicrolearnError(f"'{key}' is required", path, line)
        return ""
    at = yamldoc.value_at(meta, key, (line, None))
    if not isinstance(value, str):
        hint = "; text with ': ' in it needs quotes" if isinstance(value, dict) else ""
        raise MicrolearnError(f"'{key}' must be text, not {_kind(value)}{hint}", path, *at)
    if required and not value.strip():
        raise MicrolearnError(f"'{key}' must not be empty", path, *at)
    if len(value) > MAX_TEXT:
        raise MicrolearnError(f"'{key}' is {len(value):,} characters; the limit is {MAX_TEXT:,}", path, *at)
    return _TITLE_CONTROLS.sub("", value).strip()


def _list_field(meta: dict, key: str, path: Path, line: int, required: bool = False) -> list[str]:
    """The items of ``key``; a mistake in an item is reported where that item stands."""
    value = meta.get(key)
    if value is None:
        if required:
            raise MicrolearnError(f"'{key}' is required: a list, one item per line starting with '- '",
                                  path, line)
        return []
    at = yamldoc.value_at(meta, key, (line, None))
    if isinstance(value, str):
        value = yamldoc.value_list([value], [at])
    if not isinstance(value, list):
        raise MicrolearnError(f"'{key}' must be a list of texts, not {_kind(value)}", path, *at)
    if required and not value:
        raise MicrolearnError(f"'{key}' must have at least one item", path, *at)
    if len(value) > MAX_ITEMS:
        raise MicrolearnError(f"'{key}' has {len(value)} items; the limit is {MAX_ITEMS}", path, *at)
    items = []
    for n, item in enumerate(value):
        item_at = yamldoc.value_at(value, n, at)
        if not isinstance(item, str):
            hint = "; an item with ': ' in it needs quotes" if isinstance(item, dict) else ""
            raise MicrolearnError(f"every item of '{key}' must be text, not {_kind(item)}{hint}", path,
                                  *item_at)
        if len(item) > MAX_TEXT:
            raise MicrolearnError(f"an item of '{key}' is longer than {MAX_TEXT:,} characters", path,
                                  *item_at)
        items.append(_TITLE_CONTROLS.sub("", item).strip())
    return items


def _kind(value: object) -> str:
    for kind, name in ((bool, "true/false"), (dict, "a mapping"), (list, "a list"), (str, "text")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def plain_text(tokens: list[Token]) -> str:
    """The visible text of inline tokens."""
    out = []
    for tok in tokens:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.children:
            out.append(plain_text(tok.children))
    return "".join(out)


def parse_lesson(path: Path, lesson_id: str, lang: str, rtl: bool = False,
                 raw_html: bool = False, lesson_dir: Path | None = None) -> tuple[Lesson, list[Diagnostic]]:
    """Parse one lesson file into the model, with the warnings the checker reports.

    Each field is checked on its own, and each stage and reference of the body, so one mistake does not
    hide the others: the first is raised, carrying the rest (``MicrolearnError.also``)."""
    source = read_source(path)
    front, body, body_line = split_front_matter(source)
    meta, lines = _load_front_matter(front, path)
    warnings = _unknown_keys(meta, lines, path)
    md = make_markdown(raw_html)
    env = {"rtl": rtl, "rewrite_link": lambda href: lesson_link_href(href, lang)}
    problems: list[MicrolearnError] = []
    fields = _FrontMatter(meta, lines, path, lang, md, env, problems).read()
    folder = lesson_dir or path.parent
    front_images, front_links = _front_matter_refs(meta, lines, fields, path, folder, md, env, problems)
    try:
        parsed: _Body | None = _BodyReader(body, body_line, path, md, env, folder, warnings, problems).read()
    except MicrolearnError as err:
        problems.append(err)
        parsed = None
    if problems or parsed is None:
        problems.sort(key=lambda e: (e.line or 0, e.col or 0))
        first = problems[0]
        first.also = problems[1:]
        raise first

    def inline(text: str) -> str:
        return md.renderInline(text, env)

    lesson = Lesson(
        id=lesson_id,
        lang=lang,
        path=path,
        title=fields.title,
        title_html=isolate_ltr_text(fields.title, rtl),
        objectives=tuple(inline(o) for o in fields.objectives),
        pass_mark=fields.pass_mark,
        materials=tuple(inline(m) for m in fields.materials),
        competence_area=fields.competence_area,
        competence_area_html=isolate_ltr_text(fields.competence_area, rtl),
        key_messages=tuple(inline(k) for k in fields.key_messages),
        discussion=tuple(inline(d) for d in fields.discussion),
        follow_up=fields.follow_up,
        credits=inline(fields.credits),
        duration=fields.duration,
        intro_html=parsed.intro_html,
        stages=tuple(parsed.stages),
        images=tuple(front_images + parsed.images),
        links=tuple(front_links + parsed.links),
        translation_of=fields.translation_of,
        source_revision=fields.source_revision,
        revision=source.revision,
        lines=dict(lines),
    )
    return lesson, warnings


def _load_front_matter(front: str, path: Path) -> tuple[dict, dict[str, int]]:
    """The front matter's mapping, and the line of each key."""
    meta, lines = yamldoc.load(front, path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise MicrolearnError("the front matter must be 'key: value' lines", path, 2)
    return meta, lines


def _unknown_keys(meta: dict, lines: dict[str, int], path: Path) -> list[Diagnostic]:
    """A warning for each front matter key that is not a field, with the field it may be a typo of."""
    warnings: list[Diagnostic] = []
    for key in meta:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, sorted(FIELDS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            warnings.append(Diagnostic("warning", f"unknown front matter key '{key}'{hint}", str(path),
                                       lines.get(key), 1, "unknown-key"))
    return warnings


@dataclass(frozen=True)
class _Fields:
    """The front matter's fields as read (a field with a mistake has its empty value)."""

    title: str
    objectives: list[str]
    duration: int | None
    follow_up: str  # HTML
    translation_of: str | None
    source_revision: str | None
    competence_area: str
    key_messages: list[str]
    discussion: list[str]
    credits: str
    pass_mark: int
    materials: list[str]


_T = TypeVar("_T")


class _FrontMatter:
    """Reads the fields of a front matter; a field's mistake goes to ``problems`` and reading goes on."""

    def __init__(self, meta: dict, lines: dict[str, int], path: Path, lang: str, md: MarkdownIt, env: dict,
                 problems: list[MicrolearnError]) -> None:
        self.meta, self.lines, self.path, self.lang = meta, lines, path, lang
        self.md, self.env, self.problems = md, env, problems

    def read(self) -> _Fields:
        # In this order, so that mistakes on one line are told in the order they always were.
        title = self._attempt(self.title, "")
        objectives: list[str] = self._attempt(lambda: self.list("objectives", required=True), [])
        duration = self._attempt(self.duration, None)
        follow_up = self._attempt(self.follow_up, "")
        translation_of = self._attempt(self.translation_of, None)
        source_revision = self._attempt(self.source_revision, None)
        competence_area = self._attempt(lambda: self.text("competence_area"), "")
        key_messages: list[str] = self._attempt(lambda: self.list("key_messages"), [])
        discussion: list[str] = self._attempt(lambda: self.list("discussion"), [])
        credits = self._attempt(lambda: self.text("credits"), "")
        pass_mark = self._attempt(self.pass_mark, DEFAULT_PASS_MARK)
        materials: list[str] = self._attempt(lambda: self.list("materials"), [])
        return _Fields(title, objectives, duration, follow_up, translation_of, source_revision,
                       competence_area, key_messages, discussion, credits, pass_mark, materials)

    def _attempt(self, read: Callable[[], _T], default: _T) -> _T:
        try:
            return read()
        except MicrolearnError as err:
            self.problems.append(err)
            return default

    def line(self, key: str) -> int:
        """The line of ``key`` (1 when it is not there)."""
        return self.lines.get(key, 1)

    def value_at(self, key: str) -> tuple[int, int | None]:
        """Where the value of ``key`` stands."""
        return yamldoc.value_at(self.meta, key, (self.line(key), None))

    def text(self, key: str, required: bool = False) -> str:
        return _text_field(self.meta, key, self.path, self.line(key), required)

    def list(self, key: str, required: bool = False) -> list[str]:
        return _list_field(self.meta, key, self.path, self.line(key), required)

    def title(self) -> str:
        # Bidi controls go, as in stage titles: <bdi> around the left-to-right runs does their job.
        title = _TITLE_CONTROLS.sub("", self.text("title", required=True)).strip()
        if not title:
            raise MicrolearnError("'title' must not be empty", self.path, *self.value_at("title"))
        return title

    def duration(self) -> int | None:
        try:
            return timing.parse_duration(self.meta["duration"]) if "duration" in self.meta else None
        except ValueError as err:
            raise MicrolearnError(f"duration: {err}", self.path, *self.value_at("duration")) from None

    def follow_up(self) -> str:
        value = self.meta.get("follow_up")
        if value is True:
            raise MicrolearnError("'follow_up' is false or the text of the activity, not true", self.path,
                                  *self.value_at("follow_up"))
        if value in (None, False):
            return ""
        return self.md.render(self.text("follow_up"), self.env)

    def translation_of(self) -> str | None:
        value = self.meta.get("translation_of")
        if value is not None and (not isinstance(value, str) or not is_language_code(value)):
            raise MicrolearnError("'translation_of' must be a language code such as 'el'", self.path,
                                  *self.value_at("translation_of"))
        if value == self.lang:
            raise MicrolearnError(f"'translation_of' names this file's own language ({self.lang})", self.path,
                                  *self.value_at("translation_of"))
        return value

    def pass_mark(self) -> int:
        value = self.meta.get("pass_mark")
        if value is None:
            return DEFAULT_PASS_MARK
        found = _PASS_MARK.fullmatch(str(value).strip()) if isinstance(value, (int, str)) \
            and not isinstance(value, bool) else None
        if not found or not 1 <= int(found.group(1)) <= 100:
            raise MicrolearnError(f"'pass_mark' must be a percentage from 1% to 100%, such as 70%, not "
                                  f"'{str(value)[:20]}'", self.path, *self.value_at("pass_mark"))
        return int(found.group(1))

    def source_revision(self) -> str | None:
        value = self.meta.get("source_revision")
        if value is not None and not (isinstance(value, str) and re.match(r"^[0-9a-f]{6,64}$", value)):
            raise MicrolearnError("'source_revision' must be a content hash written by 'microlearn i18n "
                                  "done'", self.path, *self.value_at("source_revision"))
        return value


def _front_matter_refs(meta: dict, lines: dict[str, int], fields: _Fields, path: Path, lesson_dir: Path,
                       md: MarkdownIt, env: dict,
                       problems: list[MicrolearnError]) -> tuple[list[Image], list[Link]]:
    """The images and links of the front matter. Front matter is Markdown too: its images and links obey
    the body's rules, and its images are published and inlined like the body's. Each text's mistakes are
    reported where that list item or value stands, not at its key."""
    images: list[Image] = []
    links: list[Link] = []
    for key, texts in (("objectives", fields.objectives), ("key_messages", fields.key_messages),
                       ("discussion", fields.discussion), ("credits", [fields.credits]),
                       ("materials", fields.materials),
                       ("follow_up", [_follow_up_text(meta)])):
        for text, ((line, col), keeps_lines) in zip(texts, _text_positions(meta, key, lines.get(key, 1)),
                                                    strict=False):
            for tok in md.parse(text, env) if key == "follow_up" else md.parseInline(text, env):
                if tok.type == "inline" and tok.children:
                    offset = tok.map[0] if keeps_lines and tok.map else 0
                    _collect_refs(tok, line + offset, path, lesson_dir, images, links, problems, col)
    return images, links


def _text_positions(meta: dict, key: str, line: int) -> list[tuple[tuple[int, int | None], bool]]:
    """Where each text of ``key`` was written (each item of a list, or the one value; ``line``: the key's),
    and whether its lines stand in the file as in the text (a literal block)."""
    value = meta.get(key)
    at = yamldoc.value_at(meta, key, (line, None))
    if isinstance(value, list):
        return [(yamldoc.value_at(value, n, at), yamldoc.keeps_lines(value, n)) for n in range(len(value))]
    return [(at, yamldoc.keeps_lines(meta, key))]


def _follow_up_text(meta: dict) -> str:
    value = meta.get("follow_up")
    return value if isinstance(value, str) else ""


def lesson_link(href: str) -> tuple[str, str] | None:
    """('omnichannel', 'el') for '../omnichannel/el.md' (a link to another lesson, as authors write it);
    None for links that are not to lessons."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE) or href.startswith("#"):
        return None
    p = PurePosixPath(href.split("#")[0].split("?")[0])
    if p.suffix == ".md" and len(p.parts) >= 2 and p.parts[0] == "..":
        return p.parts[1], p.stem
    return None


def lesson_link_href(href: str, lang: str) -> str:
    """Where a link to another lesson goes in the site: that lesson's deck (in the language zip too,
    when it is in the same language)."""
    target = lesson_link(href)
    if target is None:
        return href
    lesson_id, other = target
    fragment = "#" + href.split("#", 1)[1] if "#" in href else ""
    page = f"../{lesson_id}/index.html" if other == lang else f"../../{other}/{lesson_id}/index.html"
    return page + fragment


@dataclass
class _RawSlide:
    """The tokens of one slide as the stage is split: what it shows, its '::: notes' and '::: trainer'
    blocks, and for a question's slide the tokens inside its '::: question'."""

    line: int
    shown: list[Token] = field(default_factory=list)
    notes: list[Token] = field(default_factory=list)
    trainer: list[Token] = field(default_factory=list)
    question: list[Token] | None = None

    @property
    def empty(self) -> bool:
        return not (self.shown or self.notes or self.trainer) and self.question is None


@dataclass
class _RawStage:
    """A stage's tokens as the body is split: its heading, and its slides (split by ``---``; each
    '::: question' is a slide of its own, with the narration and directions that follow it)."""

    heading: Token
    inline: Token
    line: int
    slides: list[_RawSlide] = field(default_factory=list)
    block: str | None = None  # the fenced div we are in
    after_question: bool = False  # the last slide is a question: what is shown next starts a new one
    skip: int = 2  # the heading's inline and closing tokens, which follow it

    def __post_init__(self) -> None:
        self.slides.append(_RawSlide(self.line))

    def add(self, tok: Token, line: int) -> None:
        """Take the next top-level token (at ``line``) of the stage."""
        if self.skip:
            self.skip -= 1
            return
        top = tok.level == 0
        slide = self.slides[-1]
        if top and (kind := _container(tok, "_open")):
            self.block = kind
            if kind == "question":
                if slide.empty:
                    self.slides.pop()
                self.slides.append(_RawSlide(line, question=[]))
        elif top and _container(tok, "_close"):
            self.after_question = self.after_question or self.block == "question"
            self.block = None
        elif self.block == "question" and slide.question is not None:
            slide.question.append(tok)
        elif self.block in ("notes", "trainer"):
            (slide.notes if self.block == "notes" else slide.trainer).append(tok)
        elif top and tok.type == "hr":
            self.slides.append(_RawSlide(line + 1))
            self.after_question = False
        else:
            if self.after_question:
                self.slides.append(_RawSlide(line))
                self.after_question = False
            self.slides[-1].shown.append(tok)


@dataclass(frozen=True)
class _Body:
    intro_html: str
    stages: list[Stage]
    images: list[Image]
    links: list[Link]


def _is_stage_heading(tok: Token) -> bool:
    return tok.level == 0 and tok.type == "heading_open" and tok.tag == "h2"


_CLOSE_HINT = {"notes": "after the narration", "trainer": "after the directions",
               "question": "after the question's options and explanation"}


class _BlocksCheck:
    """Follows the '::: notes', '::: trainer' and '::: question' blocks through the tokens: one never
    closed, one inside another block, and stage headings inside one."""

    def __init__(self, tokens: list[Token]) -> None:
        # Each block's opening and its closing token, matched in one pass.
        self.closing: dict[int, Token] = {}
        opened: list[int] = []
        for i, tok in enumerate(tokens):
            if _container(tok, "_open"):
                opened.append(i)
            elif _container(tok, "_close") and opened:
                self.closing[opened.pop()] = tok
        self.open_at: tuple[str, int] | None = None  # the kind and line of the top-level block we are in
        self.never_closed = False  # that block runs to the end: the headings it swallows are one mistake

    def visit(self, i: int, tok: Token, line: int, path: Path) -> MicrolearnError | None:
        """The mistake token ``i`` (at ``line``) makes, if any."""
        kind = _container(tok, "_open")
        if kind:
            if tok.level > 0 and kind != "notes":
                where = f"the '::: {self.open_at[0]}' block opened at line {self.open_at[1]}" \
                    if self.open_at else "a list or a quote"
                return MicrolearnError(f"a '::: {kind}' block inside {where}; a '::: {kind}' starts a line of "
                                       "its own in the stage, after the ':::' that closes the block before it",
                                       path, line, 1)
            close = self.closing.get(i)
            # markdown-it closes a block left open at the document's end
            if close is None or not close.markup:
                if self.never_closed:
                    return None
                self.never_closed = True
                return MicrolearnError(f"this '::: {kind}' block is never closed, so it takes in the rest of "
                                       f"the lesson; add a line ':::' {_CLOSE_HINT[kind]}", path, line,
                                       None if kind == "notes" else 1)
            if tok.level == 0:
                self.open_at = (kind, line)
        elif _container(tok, "_close") and tok.level == 0:
            self.open_at = None
        elif tok.type == "heading_open" and tok.tag == "h2" and self.open_at is not None \
                and not self.never_closed:
            kind, at = self.open_at
            return MicrolearnError(
                f"a stage heading inside the '::: {kind}' block opened at line {at}; close the "
                f"{'notes' if kind == 'notes' else 'block'} with a line ':::' before the next stage", path, line)
        return None


def _container(tok: Token, end: str) -> str | None:
    """The kind of fenced div ``tok`` opens (``end`` "_open") or closes ("_close"), else None."""
    if tok.type.startswith("container_") and tok.type.endswith(end):
        kind = tok.type[len("container_"):-len(end)]
        return kind if kind in CONTAINERS else None
    return None


class _BodyReader:
    """Intro, stages, images and links of a lesson's body.

    A mistake confined to one place (a heading, a stage, a reference) goes to ``problems`` and reading
    goes on, so the author sees every one at once; a body that cannot be split into stages is raised.
    """

    def __init__(self, body: str, body_line: int, path: Path, md: MarkdownIt, env: dict, lesson_dir: Path,
                 warnings: list[Diagnostic], problems: list[MicrolearnError]) -> None:
        self.body, self.body_line, self.path, self.md, self.env = body, body_line, path, md, env
        self.lesson_dir, self.warnings, self.problems = lesson_dir, warnings, problems
        self.images: list[Image] = []
        self.links: list[Link] = []
        self.question_count = 0
        self.sides: list[Token] = []  # the inline tokens that hold a '{.side}' picture
        self.placed: set[int] = set()  # those of them standing at a slide's top level (by id)

    def line_of(self, tok: Token) -> int:
        return (tok.map[0] + self.body_line) if tok.map else self.body_line

    def col_of(self, line: int, text: str) -> int | None:
        """The column where ``text`` first stands on ``line`` of the file (None if it does not)."""
        lines = self.body.split("\n")
        index = line - self.body_line
        found = lines[index].find(text) if 0 <= index < len(lines) else -1
        return found + 1 if found >= 0 else None

    def where(self, tok: Token, text: str = "{.side}") -> tuple[int, int | None]:
        """The line and column of ``text`` in the lines of block token ``tok`` (its first line, and no
        column, when it is not found there)."""
        first = self.line_of(tok)
        last = first + (tok.map[1] - tok.map[0] if tok.map else 1)
        for line in range(first, max(last, first + 1)):
            col = self.col_of(line, text)
            if col is not None:
                return line, col
        return first, None

    def render_slide(self, tokens: list[Token]) -> str:
        """A slide's shown tokens as HTML: a '{.side}' picture first or last in a column of its own."""
        def render(part: list[Token]) -> str:
            return self.md.renderer.render(part, self.md.options, self.env)
        blocks = layout.blocks_of(tokens)
        side = layout.side_block(blocks, self.where, self.path, self.placed, self.problems)
        return render(tokens) if side is None else layout.render_side(blocks, side, render)

    def read(self) -> _Body:
        tokens = self._tokens()
        self._check(tokens)
        intro, raw_stages = self._split(tokens)
        intro_html = self.render_slide(intro) if intro else ""
        if not raw_stages:
            if any(tok.type == "heading_open" and tok.tag == "h1" for tok in tokens):
                # said already: '# ' headings where '## ' stages belong
                return _Body(intro_html, [], self.images, self.links)
            raise MicrolearnError("the lesson has no stages: start each stage with a '## Heading' line",
                                  self.path, self.body_line)
        stages = self._stages(raw_stages)
        for tok in self.sides:
            if id(tok) not in self.placed:
                self.problems.append(MicrolearnError(layout.NOT_PLACED, self.path, *self.where(tok)))
        return _Body(intro_html, stages, self.images, self.links)

    def _tokens(self) -> list[Token]:
        try:
            tokens = self.md.parse(self.body, self.env)
        except RecursionError:
            raise MicrolearnError("the lesson is nested too deeply to read", self.path,
                                  self.body_line) from None
        # Limits before the work: the stages are counted before any of them is read.
        count = sum(1 for tok in tokens if _is_stage_heading(tok))
        if count > MAX_STAGES:
            raise MicrolearnError(f"{count} stages; the limit is {MAX_STAGES}", self.path, self.body_line)
        return tokens

    def _check(self, tokens: list[Token]) -> None:
        """The mistakes of the whole body, and its images and links."""
        blocks = _BlocksCheck(tokens)
        columns = layout.ColumnsCheck(tokens, self.body.split("\n"))
        for i, tok in enumerate(tokens):
            line = self.line_of(tok)
            problem = columns.visit(i, tok, line, self.path)
            other = blocks.visit(i, tok, line, self.path)
            if other and not (i in columns.inside and _container(tok, "_open")):  # told as in the columns
                problem = problem or other
            if problem:
                self.problems.append(problem)
            self._check_token(tok)

    def _check_token(self, tok: Token) -> None:
        line = self.line_of(tok)
        if layout.has_side(tok):
            self.sides.append(tok)
        if tok.type == "inline" and tok.children:
            _collect_refs(tok, line, self.path, self.lesson_dir, self.images, self.links, self.problems)
        if not self.md.options["html"] and tok.type == "inline" and _RAW_HTML.search(tok.content):
            self.warnings.append(Diagnostic(
                "warning", "raw HTML is shown as text; set 'raw_html: true' in microlearn.yml to allow it",
                str(self.path), line, 1, "raw-html"))
        if tok.type == "heading_open" and tok.tag == "h1":
            self.problems.append(MicrolearnError(
                "'# ' headings are not used in lessons: the title comes from the front matter; start each "
                "stage with '## '", self.path, line))
        if tok.type == "heading_open" and tok.markup in ("-", "="):
            self.problems.append(MicrolearnError(
                "a line of '---' directly under text makes that text a heading; leave a blank line "
                "before '---' to continue the stage on a new slide", self.path, line + 1))

    def _split(self, tokens: list[Token]) -> tuple[list[Token], list[_RawStage]]:
        """The top-level tokens split into: intro | stage (heading, slides split by hr, notes)."""
        intro: list[Token] = []
        raw_stages: list[_RawStage] = []
        for i, tok in enumerate(tokens):
            if _is_stage_heading(tok):
                raw_stages.append(_RawStage(tok, tokens[i + 1], self.line_of(tok)))
            elif raw_stages:
                raw_stages[-1].add(tok, self.line_of(tok))
            else:
                intro.append(tok)
        return intro, raw_stages

    def _stages(self, raw_stages: list[_RawStage]) -> list[Stage]:
        stages: list[Stage] = []
        anchors: set[str] = set()
        body_lines = self.body.split("\n")
        for number, raw in enumerate(raw_stages, start=1):
            heading = raw.heading
            text = body_lines[heading.map[0]] if heading.map and heading.map[0] < len(body_lines) else ""
            try:
                stages.append(_stage(number, raw, text, self, anchors))
            except MicrolearnError as err:
                self.problems.append(err)
        return stages


def _stage(number: int, raw: _RawStage, line_text: str, body: _BodyReader, anchors: set[str]) -> Stage:
    """One stage of the model from its heading (``line_text``: its line in the file) and its slides' and
    notes' tokens."""
    path, md, env, warnings = body.path, body.md, body.env, body.warnings
    heading, inline_tok, line = raw.heading, raw.inline, raw.line
    text = heading.meta.get("attrs", "")
    attrs = parse_attrs(text)
    # Mistakes in the {…} are reported at the word's column (or the line's, if the {…} is not found there).
    brace = line_text.rfind("{" + text + "}") if "attrs" in heading.meta else -1
    col = lambda offset: brace + 2 + offset if brace >= 0 else None  # noqa: E731
    if attrs.bad:
        hint = (' (a time with a space is quoted: {time="1h 10m"})'
                if "time" in attrs.values and timing.looks_like_time(attrs.bad[0]) else "")
        raise MicrolearnError(
            f"cannot read '{' '.join(attrs.bad)}' in the heading's {{…}}; write e.g. "
            f"{{time=2m #id .class}}{hint}", path, line, col(attrs.at[attrs.bad[0]]))
    if attrs.repeated:
        name, offset = attrs.repeated[0]
        what = "an id" if name == "#" else f"'{name}'"
        raise MicrolearnError(f"the heading's {{…}} gives {what} twice; keep one", path, line, col(offset))
    ident = attrs.ident
    if ident is not None and not ANCHOR_RE.match(ident):
        raise MicrolearnError(f"'#{ident}' is not a usable id: letters, digits, '-' and '_', starting "
                              "with a letter", path, line, col(attrs.at["#"]))
    if ident is not None and reserved_id(ident):
        raise MicrolearnError(f"'#{ident}' is an id the pages use themselves (the reserved ids are "
                              f"{', '.join(sorted(RESERVED_IDS))} and those starting with "
                              f"{', '.join(RESERVED_ID_PREFIXES)}); choose another", path, line,
                              col(attrs.at["#"]))
    anchor = ident or f"stage-{number:02d}"
    if anchor in anchors:
        raise MicrolearnError(f"the id '#{anchor}' is used by two stages", path, line,
                              col(attrs.at.get("#", 0)))
    # before the checks below, so that a later stage with the same id is told even if this one fails
    anchors.add(anchor)
    seconds = None
    for key, value in attrs.values.items():
        if key == "time":
            try:
                seconds = timing.parse_duration(value)
            except ValueError as err:
                raise MicrolearnError(f"time: {err}", path, line, col(attrs.at[key])) from None
        else:
            warnings.append(Diagnostic("warning", f"unknown heading attribute '{key}'; only 'time' is "
                                       "used", str(path), line, 1, "unknown-attribute"))
    title = _TITLE_CONTROLS.sub("", plain_text(inline_tok.children or [])).strip()
    if not title:
        raise MicrolearnError("a stage heading has no title", path, line)
    title_html = md.renderer.render(inline_tok.children or [], md.options, env)
    if layout.STATEMENT in attrs.classes and not layout.mark_statement([r.shown for r in raw.slides]):
        raise MicrolearnError("'{.statement}' sets the stage's first paragraph large and centred, but this "
                              "stage has no paragraph: write the key message as a paragraph under the heading",
                              path, line, line_text.find(".statement") + 1 or None)
    slides = _slides(raw, number, seconds, body)
    return Stage(number, title, title_html, anchor, tuple(c for c in attrs.classes if re.match(
        r"^[A-Za-z][\w-]*$", c)), seconds, tuple(slides), line)


def _slides(raw: _RawStage, number: int, seconds: int | None, body: _BodyReader) -> list[Slide]:
    """The slides of stage ``number`` from its raw slides, sharing its time budget ``seconds``."""
    md, env = body.md, body.env

    def render(tokens: list[Token]) -> str:
        return md.renderer.render(tokens, md.options, env)

    questions = [None if r.question is None else _question(r, number, body) for r in raw.slides]
    parts = len(raw.slides)
    shares = timing.split_seconds(seconds, parts)
    slides = []
    for part, (raw_slide, question, share) in enumerate(zip(raw.slides, questions, shares, strict=True), start=1):
        shown_tokens = raw_slide.question if raw_slide.question is not None else raw_slide.shown
        shown = " ".join(plain_text(t.children or []) for t in shown_tokens if t.type == "inline")
        slides.append(Slide(body.render_slide(raw_slide.shown), render(raw_slide.notes), part, parts, share,
                            len(shown.split()), raw_slide.line, render(raw_slide.trainer), question))
    return slides


_OPTION = re.compile(r"\[([ xX])\](?:[ \t]+|$)")


def _question(raw: _RawSlide, stage_number: int, body: _BodyReader) -> Question | None:
    """The question of a '::: question' block (None, the mistake gone to ``body.problems``, if it has one)."""
    try:
        question = _read_question(raw.question or [], raw.line, stage_number, body.question_count + 1, body)
    except MicrolearnError as err:
        body.problems.append(err)
        return None
    body.question_count += 1
    return question


def _read_question(tokens: list[Token], line: int, stage_number: int, number: int, body: _BodyReader) -> Question:
    """A question from the tokens inside its block: the prompt, then a task list of options (a reflection
    question has none), then a blockquote with the explanation."""
    md, env, path = body.md, body.env, body.path
    blocks = layout.blocks_of(tokens)
    lists = [i for i, block in enumerate(blocks) if _is_option_list(block)]
    end = lists[0] if lists else len(blocks)
    explanation: list[Token] = []
    if lists:
        after = blocks[end + 1:]
        if after and after[0][0].type == "blockquote_open":
            explanation = after[0][1:-1]
            after = after[1:]
        if after:
            raise MicrolearnError(
                "an option list mixed with other content: after the options '- [ ]' and '- [x]' only one quote "
                "'> …' may follow, the explanation; move the rest before the options", path,
                body.line_of(after[0][0]), 1)
    elif blocks and blocks[-1][0].type == "blockquote_open" and len(blocks) > 1:
        explanation = blocks[-1][1:-1]
        end = len(blocks) - 1
    prompt = [tok for block in blocks[:end] for tok in block]
    prompt_text = " ".join(plain_text(t.children or []) for t in prompt if t.type == "inline").strip()
    if not prompt_text:
        raise MicrolearnError("the question has no prompt: write the question itself on the line after "
                              "'::: question', before the options", path, line, 1)
    options = _options(blocks[end], body) if lists else ()
    if lists and not any(o.correct for o in options):
        raise MicrolearnError("a choice question needs a correct answer: mark it '- [x]' (several '[x]' make "
                              "it multiple choice; a question without options is a reflection question)",
                              path, options[0].line, body.col_of(options[0].line, "[ ]"))
    render = md.renderer.render
    return Question(number, stage_number, render(prompt, md.options, env), prompt_text, options,
                    render(explanation, md.options, env), line)


def _is_option_list(block: list[Token]) -> bool:
    """Whether a block is a list whose items (any of them) start with '[ ]' or '[x]'."""
    if block[0].type not in ("bullet_list_open", "ordered_list_open"):
        return False
    base = block[0].level
    return any(tok.type == "inline" and tok.level == base + 3 and _OPTION.match(tok.content)
               and block[i - 2].type == "list_item_open" for i, tok in enumerate(block) if i >= 2)


def _options(block: list[Token], body: _BodyReader) -> tuple[Option, ...]:
    """The options of a task list; every item must be one '[ ]' or '[x]' line of text."""
    items: list[list[Token]] = []
    base = block[0].level
    for tok in block[1:-1]:
        if tok.type == "list_item_open" and tok.level == base + 1:
            items.append([])
        elif items:
            items[-1].append(tok)
    options = []
    for item in items:
        item_line = body.line_of(item[0]) if item else 0
        inline = [tok for tok in item if tok.type == "inline"]
        found = _OPTION.match(inline[0].content) if len(inline) == 1 else None
        if found is None or len(item) != 4:  # paragraph open, inline, paragraph close, item close
            raise MicrolearnError(
                "an option list mixed with other content: every item of the options is one line starting with "
                "'[ ]' (a wrong answer) or '[x]' (a right one)", body.path, item_line,
                body.col_of(item_line, inline[0].content[:10]) if inline else None)
        text = inline[0].content[found.end():].strip()
        if not text:
            raise MicrolearnError("an option with no text: write the answer after '[ ]' or '[x]'", body.path,
                                  item_line, body.col_of(item_line, found.group(0).strip()))
        options.append(Option(body.md.renderInline(text, body.env), found.group(1) != " ", item_line))
    return tuple(options)


def _collect_refs(inline_tok: Token, line: int, path: Path, lesson_dir: Path, images: list, links: list,
                  problems: list[MicrolearnError], col: int | None = None) -> None:
    """The images and links of one inline token, which stands at ``line`` (and ``col``, when known)."""
    for child in _walk(inline_tok.children or []):
        try:
            _collect_ref(child, line, path, lesson_dir, images, links, col)
        except MicrolearnError as err:
            problems.append(err)


def _collect_ref(child: Token, line: int, path: Path, lesson_dir: Path, images: list, links: list,
                 col: int | None = None) -> None:
    if child.type == "image":
        src = str(child.attrGet("src") or "")
        alt = plain_text(child.children or [])
        if BAD_SCHEME.match(src) and not SAFE_IMAGE_DATA.match(src):
            raise MicrolearnError(f"image source '{src[:40]}' is refused: use an image file beside the "
                                  "lesson", path, line, col)
        if SAFE_IMAGE_DATA.match(src):
            return
        file = resolve_inside(src, lesson_dir, path, line, "image", col)
        check_image(file, src, path, line, col)
        images.append(Image(src, file, alt, line))
    elif child.type == "link_open":
        href = str(child.attrGet("href") or "")
        links.append(Link(href, line))
    elif child.type == "text" and (refused := _REFUSED_ADDRESS.search(child.content)):
        # markdown-it leaves a refused address as plain text; say so instead of showing it silently.
        if refused.group(1):
            raise MicrolearnError("an image from a javascript:, vbscript:, file: or non-raster data: address "
                                  "is refused; use an image file beside the lesson", path, line, col)
        raise MicrolearnError("a link to a javascript:, vbscript:, file: or data: address is refused; link "
                              "to an http(s) address or a file beside the lesson", path, line, col)

def _walk(tokens: list[Token]) -> Iterator[Token]:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def resolve_inside(src: str, lesson_dir: Path, path: Path, line: int, what: str,
                   col: int | None = None) -> Path:
    """The file ``src`` names (at ``line`` and ``col`` of ``path``), which must lie inside the lesson
    folder."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("//"):
        raise MicrolearnError(f"{what} '{src}' is not a file beside the lesson; copy it into "
                              f"{lesson_dir.name}/ (lessons make no network request)", path, line, col)
    clean = unquote(src.split("#")[0].split("?")[0])
    if not clean or clean.startswith("/") or "\\" in clean:
        raise MicrolearnError(f"{what} '{src}' must be a path relative to the lesson folder", path, line, col)
    target = (lesson_dir / clean)
    base = lesson_dir.resolve()
    try:
        resolved = target.resolve()
        resolved.relative_to(base)
    except ValueError:
        raise MicrolearnError(f"{what} '{src}' lies outside the lesson folder; keep it beside the lesson",
                              path, line, col) from None
    if not resolved.is_file():
        raise MicrolearnError(f"{what} '{src}' not found in {lesson_dir.name}/; check the file name",
                              path, line, col)
    if resolved.parent != base:
        raise MicrolearnError(f"{what} '{src}' must sit directly in the lesson folder", path, line, col)
    # Under the name the lesson uses: a link alias.png -> real.png is published as alias.png, which
    # is what the page asks for.
    return base / Path(clean).name
