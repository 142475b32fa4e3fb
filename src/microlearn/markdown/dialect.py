"""The markdown-it-py setup and our rules: heading attributes, ``::: notes``, bidi isolation."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# `## Title {time=2m #id .class}`: Pandoc/Quarto attributes at the end of a heading, read from the end
# of the line in linear time (see ``split_heading_attrs``).

# Schemes we never link to from lesson content; data: is allowed for raster images only.
SAFE_IMAGE_DATA = re.compile(r"^data:image/(?:gif|png|jpeg|webp);", re.I)
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.I)

# A run of left-to-right text (Latin, Greek or Cyrillic letters, with the digits, spaces and
# punctuation between them), optionally in parentheses. Inside a right-to-left paragraph it is wrapped
# in <bdi> so that "(Omni-channel)", "UPS, FedEx" or "5 GB" keep their order and their brackets.
# The bidi algorithm would also pull weak and neutral signs at a run's edges over to the right-to-left
# side, so the run takes them with it:
# - before it: "#shop", "@myshop" (# or @ before a letter or digit), "+98 21 5555" (+ before a digit),
#   "-5 °C", "±2 %", "−3" (a sign starting a number, after a space or at the start), "$10", "€10",
#   "£5" (a currency sign before a digit), and after a space or at the start: ".NET", "--version",
#   "/usr/bin/python3", "./run.sh", "~/bin";
# - inside and after it: unit signs "25 °C", "1,000 m²", "5 ‰", "°C" (and ³ ¹ ‱ ℃ ℉ ™ ®), µ as a letter,
#   subscripts and superscripts "H₂O", "CO₂", "x⁴", currency signs "10 €", "E=mc²", a closing "/" before
#   a space or punctuation ("/usr/local/");
# - after a letter: "C++", "C#", "Notepad++"; after a digit: "10+", "5+".
# A URL ("https://example.com/shop?id=5&lang=fa#top", "www.example.org/a?b=2", "mailto:a@b.org", a domain
# with a path "example.com/shop?id=5") is one unit, query, fragment and closing "/" included; brackets
# only when balanced, and closing punctuation ("." "," ")") stays outside.
# Persian and Arabic letters, punctuation (، ؛ ؟ ٪ « ») and digits never belong to a run; a lone digit
# is not a run.
_LETTER = "A-Za-z\u00b5\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_CURRENCY = "$\u00a2\u00a3\u00a5\u20a0-\u20bf"  # $ ¢ £ ¥ and the currency block (€ ₹ ₽ ₺ ₿ ...)
_SIGN = (  # ° ² ³ ¹ ‰ ‱ ℃ ℉ ™ ®, superscripts and subscripts, currency signs
    "\u00b0\u00b2\u00b3\u00b9\u2030\u2031\u2103\u2109\u2122\u00ae\u2070-\u209f" + _CURRENCY)
_AFTER_SPACE = r"(?<![^\s(])"  # at the start, or after a space or an opening bracket
_LEAD = (rf"(?:[#@](?=[{_LETTER}0-9])|\+(?=[0-9])|{_AFTER_SPACE}[-\u2212\u00b1](?=[0-9])|\u00b0(?=[{_LETTER}])"
         rf"|[{_CURRENCY}](?=[0-9])|{_AFTER_SPACE}(?:\.|--?)(?=[{_LETTER}])"
         rf"|{_AFTER_SPACE}(?:~|\.\.?)?/(?=[{_LETTER}0-9._~]))")
_INNER = rf"[{_LETTER}0-9{_SIGN} .,:;/&+='\u2019_%@#-]"
_LAST = rf"(?:[{_LETTER}0-9%{_SIGN}]|/(?=[\s.,:;!?)\]»،؛؟]|$))"
_TAIL = rf"(?:(?<=[{_LETTER}])(?:\+\+?|#)(?![{_LETTER}0-9])|(?<=[0-9])\+(?![{_LETTER}0-9+]))"
# URL characters (RFC 3986, ASCII only, no brackets), and those a URL may end with.
_URL_CHAR = r"[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]"
_URL_LAST = r"[A-Za-z0-9\-_~/#@$&*+=%]"
# It starts where a word starts (so that a long word is not scanned again from each of its letters).
_URL = (rf"(?<![A-Za-z0-9+.-])(?>(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{{2,}}/)"
        rf"(?:{_URL_CHAR}|\({_URL_CHAR}*\))*(?:{_URL_LAST}|\({_URL_CHAR}*\)))")
_MORE = rf"(?:(?:{_URL}|{_INNER})*(?:{_URL}|{_LAST}))"  # the rest of a run of two characters or more
URL = re.compile(_URL)
LTR_RUN = re.compile(
    rf"\(?(?:{_URL}{_MORE}?{_TAIL}?"  # a URL first
    rf"|{_LEAD}[{_LETTER}0-9]{_MORE}?{_TAIL}?"  # a sign first: "#shop", "+98", "°C", "$10", ".NET"
    rf"|[{_LETTER}0-9]{_MORE}{_TAIL}?"  # two characters or more: "FOMO", "5 MB", "25°"
    rf"|[{_LETTER}]{_TAIL}?|[0-9]{_TAIL})\)?"  # one letter: "C", "C++"; a digit and a sign: "5+"
)


_CANDIDATE = re.compile(rf"[{_LETTER}0-9]")  # every run holds one; most Persian and Arabic lines have none


def ltr_spans(text: str):
    """The (start, end) of each left-to-right run of ``text``, brackets kept balanced."""
    first = _CANDIDATE.search(text)
    if first is None:
        return
    # A run may begin a few signs before its first letter or digit ("(--version", "../run"); the
    # lookbehinds still see the text before ``pos``.
    for match in LTR_RUN.finditer(text, max(0, first.start() - 4)):
        run = match.group(0)
        start, end = match.start(), match.end()
        # A lone bracket belongs to the surrounding text.
        if run.startswith("(") and not run.endswith(")"):
            start += 1
        if run.endswith(")") and not run.startswith("("):
            end -= 1
        if end > start:
            yield start, end


def isolate_ltr_text(text: str, rtl: bool) -> str:
    """Plain text as inline HTML, escaped; in a right-to-left lesson its left-to-right runs in <bdi>."""
    if not rtl:
        return escapeHtml(text)
    out: list[str] = []
    pos = 0
    for start, end in ltr_spans(text):
        out.append(escapeHtml(text[pos:start]))
        out.append(f'<bdi dir="ltr">{escapeHtml(text[start:end])}</bdi>')
        pos = end
    out.append(escapeHtml(text[pos:]))
    return "".join(out)


def split_heading_attrs(text: str) -> tuple[str, str, int] | None:
    """``text`` without its closing ``{...}``, the attributes, and their offset in ``text``; None when
    the heading has none. Linear in the length of ``text`` (a regex with ``\\s*`` on both sides of the
    braces took quadratic time on a long run of spaces)."""
    end = len(text.rstrip())
    if not end or text[end - 1] != "}":
        return None
    start = text.rfind("{", 0, end - 1)
    if start < 0 or "}" in text[start + 1:end - 1]:
        return None
    return text[:start].rstrip(), text[start + 1:end - 1], start + 1


# One word of a heading's attributes: key="quoted value", key='quoted value', or a run without spaces.
_ATTR_WORD = re.compile(r"""[^\s"'=]+=(?:"[^"]*"|'[^']*')|\S+""")


@dataclass(frozen=True)
class Attrs:
    """A heading's ``{time=2m #id .class}``: values by key, the id, the classes, and what could not be
    read; ``at`` gives each word's offset in the attribute text (by key, "#" for the id, or the word)."""

    values: dict[str, str]
    ident: str | None
    classes: list[str]
    bad: list[str]
    repeated: list[tuple[str, int]]  # a key (or "#") given again, and the offset of its second word
    at: dict[str, int]


def parse_attrs(text: str) -> Attrs:
    """Split ``time=2m #id .class`` (``time="1h 10m"`` quoted when it has spaces) into its parts."""
    values: dict[str, str] = {}
    ident = None
    classes: list[str] = []
    bad: list[str] = []
    repeated: list[tuple[str, int]] = []
    at: dict[str, int] = {}
    for match in _ATTR_WORD.finditer(text):
        word, offset = match.group(), match.start()
        if word.startswith("#") and len(word) > 1:
            if ident is not None:
                repeated.append(("#", offset))
            ident = word[1:]
            at.setdefault("#", offset)
        elif word.startswith(".") and len(word) > 1:
            classes.append(word[1:])
        elif "=" in word and not word.startswith("="):
            key, _, value = word.partition("=")
            if key in values:
                repeated.append((key, offset + len(key) + 1))
            values[key] = value[1:-1] if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'" else value
            at.setdefault(key, offset + len(key) + 1)
        else:
            bad.append(word)
            at.setdefault(word, offset)
    return Attrs(values, ident, classes, bad, repeated, at)


def _heading_attrs(state: StateCore) -> None:
    """Take ``{...}`` off the end of a heading's text and keep it in the heading token's meta."""
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        found = split_heading_attrs(inline.content)
        if found:
            inline.content, tok.meta["attrs"], _ = found


def _isolate_ltr(state: StateCore) -> None:
    """In a right-to-left lesson, wrap left-to-right runs of text in <bdi>."""
    if not state.env.get("rtl"):
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _isolate_inline(block.children)


# How an inline's children read, for finding runs across them: text is itself; code and a link whose text
# is a URL (each isolated by dir="ltr") are one left-to-right letter; a line break is a space; emphasis
# and link tags are nothing (a run goes through them); images, raw HTML and hard breaks end a run.
_ATOM = "A"
_BARRIER = "\ufffc"


@dataclass(frozen=True, slots=True)
class _Piece:
    """One unit of an inline: its tokens first..last, at [start, end) of the inline read as one string;
    kind is text, atom, space, tag or barrier."""

    first: int
    last: int
    start: int
    end: int
    kind: str


def _pieces(children: list[Token]) -> tuple[str, list[_Piece]]:
    """The inline as one string, and the pieces of it each token (or link of a URL) makes."""
    flat: list[str] = []
    pieces: list[_Piece] = []
    at = 0
    i = 0
    while i < len(children):
        tok = children[i]
        last = i
        if tok.type == "text":
            kind, text = "text", tok.content
        elif tok.type == "code_inline":
            kind, text = "atom", _ATOM
        elif tok.type == "link_open" and (close := _url_link_close(children, i)) is not None:
            # An autolink, or a link whose text is a URL: one left-to-right unit, isolated by its own dir.
            tok.attrSet("dir", "ltr")
            kind, text, last = "atom", _ATOM, close
        elif tok.type == "softbreak":
            kind, text = "space", " "
        elif tok.nesting:
            kind, text = "tag", ""
        else:
            kind, text = "barrier", _BARRIER
        pieces.append(_Piece(i, last, at, at + len(text), kind))
        flat.append(text)
        at += len(text)
        i = last + 1
    return "".join(flat), pieces


def _url_link_close(children: list[Token], i: int) -> int | None:
    """The index of the link_close of the link opened at ``i``, if the link's text is a URL."""
    for j in range(i + 1, len(children)):
        if children[j].type == "link_close":
            inner = children[i + 1:j]
            if children[i].markup == "autolink" or children[i].info == "auto":
                return j
            if inner and all(t.type == "text" for t in inner) and URL.fullmatch("".join(t.content for t in inner)):
                return j
            return None
        if children[j].type != "text":
            return None
    return None


# Elements a run may cut in two, closing one before its <bdi> and opening it again inside (or the other
# way round at its end): they carry no attributes, so the two halves look as one. A link is never cut
# (it would become two links).
_SPLITTABLE = {"em", "strong", "s"}
_BDI_OPEN = '<bdi dir="ltr">'


def _isolate_inline(children: list[Token]) -> list[Token]:
    """Wrap each left-to-right run of an inline in <bdi>, across emphasis, links and code: in
    "**Google** Analytics" the two words are one run, "<bdi><strong>Google</strong> Analytics</bdi>".
    To keep the HTML nested a run takes in whole tags at its edges, or else cuts emphasis in two
    ("Google **Analytics یعنی**": "<bdi>Google <strong>Analytics</strong></bdi><strong> یعنی</strong>");
    a run that would cut a link is isolated in its text tokens' pieces instead."""
    # Emphasis leaves empty text tokens where its delimiters were; they would stand between a run's tags.
    children = [tok for tok in children if tok.type != "text" or tok.content]
    flat, pieces = _pieces(children)
    # What to insert: in a text token at an offset (a run's end sorts before the next run's start), or
    # before or after a piece's tokens.
    cuts: dict[int, list[tuple[int, int, list[Token]]]] = {}
    before: dict[int, list[Token]] = {}
    after: dict[int, list[Token]] = {}
    ends = [pc.end for pc in pieces]
    for start, end in ltr_spans(flat):
        inside = []
        for n in range(bisect_right(ends, start), len(pieces)):
            if pieces[n].start >= end:
                break
            if pieces[n].kind != "tag":
                inside.append(n)
        if not inside:
            continue
        lo, hi = inside[0], inside[-1]
        if lo == hi and pieces[lo].kind == "atom":
            continue  # a lone code span or URL link is isolated already
        nested = _nest(pieces, children, lo, hi, start, end)
        if nested is None:
            for n in inside:
                pc = pieces[n]
                if pc.kind == "text":
                    base = max(start, pc.start) - pc.start
                    piece = children[pc.first].content[base:min(end, pc.end) - pc.start]
                    for s, e in ltr_spans(piece):
                        cuts.setdefault(pc.first, []).extend(
                            [(base + s, 1, [_html(_BDI_OPEN)]), (base + e, 0, [_html("</bdi>")])])
            continue
        lo, hi, closed, opened = nested
        opening = [_tag(children[i], -1) for i in closed] + [_html(_BDI_OPEN)] + \
            [_tag(children[i], 1) for i in reversed(closed)]
        closing = [_tag(children[i], -1) for i in reversed(opened)] + [_html("</bdi>")] + \
            [_tag(children[i], 1) for i in opened]
        first, last = pieces[lo], pieces[hi]
        if first.kind == "text":
            cuts.setdefault(first.first, []).append((start - first.start, 1, opening))
        else:
            before.setdefault(first.first, []).extend(opening)
        if last.kind == "text":
            cuts.setdefault(last.first, []).append((end - last.start, 0, closing))
        else:
            after.setdefault(last.last, []).extend(closing)
    out: list[Token] = []
    for i, tok in enumerate(children):
        out.extend(before.get(i, ()))
        if i in cuts:
            pos = 0
            for offset, _, insert in sorted(cuts[i], key=lambda cut: cut[:2]):
                if offset > pos:
                    out.append(_text(tok.content[pos:offset]))
                    pos = offset
                out.extend(insert)
            if pos < len(tok.content):
                out.append(_text(tok.content[pos:]))
        else:
            out.append(tok)
        out.extend(after.get(i, ()))
    return out


def _nest(pieces: list[_Piece], children: list[Token], lo: int, hi: int, start: int, end: int):
    """Widen pieces lo..hi over the tags right at the run's edges until its tags pair up. Returns the new
    lo and hi, and the tokens of the closing and of the opening tags still unpaired (to cut in two), or
    None if one of those is a link."""
    def unpaired(a: int, b: int) -> tuple[list[int], list[int]]:
        opened: list[int] = []
        closed: list[int] = []
        for pc in pieces[a:b + 1]:
            if pc.kind == "tag":
                if children[pc.first].nesting > 0:
                    opened.append(pc.first)
                elif opened:
                    opened.pop()
                else:
                    closed.append(pc.first)
        return closed, opened

    closed, opened = unpaired(lo, hi)
    while closed and lo > 0 and pieces[lo - 1].kind == "tag" and pieces[lo - 1].start == start \
            and children[pieces[lo - 1].first].nesting > 0:
        lo -= 1
        closed, opened = unpaired(lo, hi)
    while opened and hi + 1 < len(pieces) and pieces[hi + 1].kind == "tag" and pieces[hi + 1].start == end \
            and children[pieces[hi + 1].first].nesting < 0:
        hi += 1
        closed, opened = unpaired(lo, hi)
    if any(children[i].tag not in _SPLITTABLE for i in closed + opened):
        return None
    return lo, hi, closed, opened


def _tag(tok: Token, nesting: int) -> Token:
    """An opening (nesting 1) or closing (-1) tag of the element ``tok`` opens or closes."""
    kind = tok.type.rpartition("_")[0]
    return Token(f"{kind}_open" if nesting > 0 else f"{kind}_close", tok.tag, nesting, markup=tok.markup)


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok


def _html(content: str) -> Token:
    tok = Token("html_inline", "", 0)
    tok.content = content
    return tok


def _validate_link(url: str) -> bool:
    if SAFE_IMAGE_DATA.match(url):
        return True
    return not BAD_SCHEME.match(url)


def _notes_validate(params: str, *args) -> bool:
    return params.strip() in ("notes", "{.notes}")


def _render_code_inline(self, tokens, idx, options, env) -> str:
    # Code is left-to-right in every lesson; an explicit dir also isolates it (HTML's UA stylesheet
    # gives [dir] elements unicode-bidi: isolate).
    direction = ' dir="ltr"' if env.get("rtl") else ""
    return f"<code{direction}>{escapeHtml(tokens[idx].content)}</code>"


def _render_fence(self, tokens, idx, options, env) -> str:
    return f'<pre dir="ltr"><code>{escapeHtml(tokens[idx].content)}</code></pre>\n'


def _render_link_open(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    rewrite = env.get("rewrite_link")
    href = tok.attrGet("href")
    if rewrite and href:
        tok.attrSet("href", rewrite(href))
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=4)
def make_markdown(raw_html: bool = False) -> MarkdownIt:
    """The one Markdown dialect of lessons. Raw HTML is escaped unless the project opts in."""
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.validateLink = _validate_link
    container_plugin(md, "notes", validate=_notes_validate)
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)
    md.core.ruler.push("isolate_ltr", _isolate_ltr)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("link_open", _render_link_open)
    return md
