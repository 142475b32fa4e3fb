"""Bidi isolation for right-to-left lessons: which runs of a text read left to right (the ``LTR_RUN``
grammar), and how an inline's tokens are wrapped in <bdi> around those runs without breaking the HTML's
nesting (``isolate_inline``). The Markdown dialect (markdown.py) applies it as a core rule; plain texts
(titles, the competence area) use ``isolate_ltr_text``."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

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
_LEAD = (rf"(?:[#@](?=[{_LETTER}0-9])|\+(?=[0-9])|{_AFTER_SPACE}[-\u2212\u00b1](?=[0-9])"
         rf"|\u00b0(?=[{_LETTER}])"
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


def ltr_spans(text: str) -> Iterator[tuple[int, int]]:
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
            # An autolink, or a link whose text is a URL: one left-to-right unit (isolated by its own dir).
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
            if inner and all(t.type == "text" for t in inner) and \
                    URL.fullmatch("".join(t.content for t in inner)):
                return j
            return None
        if children[j].type != "text":
            return None
    return None


def _url_links_ltr(children: list[Token], pieces: list[_Piece]) -> list[Token]:
    """``children`` with each link of a URL (an atom piece opened by a link) given ``dir="ltr"``; the
    tokens given are left as they are."""
    out = list(children)
    for pc in pieces:
        tok = children[pc.first]
        if pc.kind == "atom" and tok.type == "link_open":
            out[pc.first] = tok.copy(attrs={**tok.attrs, "dir": "ltr"})
    return out


# Elements a run may cut in two, closing one before its <bdi> and opening it again inside (or the other
# way round at its end): they carry no attributes, so the two halves look as one. A link is never cut
# (it would become two links).
_SPLITTABLE = {"em", "strong", "s"}
_BDI_OPEN = '<bdi dir="ltr">'


@dataclass
class _Insertions:
    """What to insert among an inline's tokens: in a text token at an offset (``cuts``: offset, order, tokens;
    at one offset a run's end, order 0, goes before the next run's start, order 1), or before or after a
    token."""

    cuts: dict[int, list[tuple[int, int, list[Token]]]] = field(default_factory=dict)
    before: dict[int, list[Token]] = field(default_factory=dict)
    after: dict[int, list[Token]] = field(default_factory=dict)

    def cut(self, index: int, offset: int, order: int, tokens: list[Token]) -> None:
        self.cuts.setdefault(index, []).append((offset, order, tokens))

    def apply(self, children: list[Token]) -> list[Token]:
        """``children`` with the insertions made, text tokens split where they are cut."""
        out: list[Token] = []
        for i, tok in enumerate(children):
            out.extend(self.before.get(i, ()))
            if i in self.cuts:
                out.extend(self._split(tok, self.cuts[i]))
            else:
                out.append(tok)
            out.extend(self.after.get(i, ()))
        return out

    @staticmethod
    def _split(tok: Token, cuts: list[tuple[int, int, list[Token]]]) -> list[Token]:
        out: list[Token] = []
        pos = 0
        for offset, _, insert in sorted(cuts, key=lambda cut: cut[:2]):
            if offset > pos:
                out.append(_text(tok.content[pos:offset]))
                pos = offset
            out.extend(insert)
        if pos < len(tok.content):
            out.append(_text(tok.content[pos:]))
        return out


def isolate_inline(children: list[Token]) -> list[Token]:
    """Wrap each left-to-right run of an inline in <bdi>, across emphasis, links and code: in
    "**Google** Analytics" the two words are one run, "<bdi><strong>Google</strong> Analytics</bdi>".
    To keep the HTML nested a run takes in whole tags at its edges, or else cuts emphasis in two
    ("Google **Analytics یعنی**": "<bdi>Google <strong>Analytics</strong></bdi><strong> یعنی</strong>");
    a run that would cut a link is isolated in its text tokens' pieces instead. Links of a URL get
    ``dir="ltr"``. Returns new tokens; those given are not changed."""
    # Emphasis leaves empty text tokens where its delimiters were; they would stand between a run's tags.
    children = [tok for tok in children if tok.type != "text" or tok.content]
    flat, pieces = _pieces(children)
    children = _url_links_ltr(children, pieces)
    plan = _Insertions()
    ends = [pc.end for pc in pieces]
    for start, end in ltr_spans(flat):
        inside = _pieces_within(pieces, ends, start, end)
        if not inside or (len(inside) == 1 and pieces[inside[0]].kind == "atom"):
            continue  # nothing to isolate, or a lone code span or URL link, isolated already
        nested = _nest(pieces, children, inside[0], inside[-1], start, end)
        if nested is None:
            _isolate_in_texts(plan, pieces, children, inside, start, end)
        else:
            _wrap(plan, pieces, children, nested, start, end)
    return plan.apply(children)


def _pieces_within(pieces: list[_Piece], ends: list[int], start: int, end: int) -> list[int]:
    """The pieces (but tags) that the run at [start, end) of the inline's string covers."""
    inside = []
    for n in range(bisect_right(ends, start), len(pieces)):
        if pieces[n].start >= end:
            break
        if pieces[n].kind != "tag":
            inside.append(n)
    return inside


def _isolate_in_texts(plan: _Insertions, pieces: list[_Piece], children: list[Token], inside: list[int],
                      start: int, end: int) -> None:
    """Isolate the runs of each text piece of [start, end) on its own (the run would cut a link)."""
    for n in inside:
        pc = pieces[n]
        if pc.kind != "text":
            continue
        base = max(start, pc.start) - pc.start
        piece = children[pc.first].content[base:min(end, pc.end) - pc.start]
        for s, e in ltr_spans(piece):
            plan.cut(pc.first, base + s, 1, [_html(_BDI_OPEN)])
            plan.cut(pc.first, base + e, 0, [_html("</bdi>")])


def _wrap(plan: _Insertions, pieces: list[_Piece], children: list[Token],
          nested: tuple[int, int, list[int], list[int]], start: int, end: int) -> None:
    """Put the run at [start, end), over pieces lo..hi, in one <bdi>, closing the tags ``closed`` before
    it and opening them again inside (and the tags ``opened`` the other way round at its end)."""
    lo, hi, closed, opened = nested
    opening = [_tag(children[i], -1) for i in closed] + [_html(_BDI_OPEN)] + \
        [_tag(children[i], 1) for i in reversed(closed)]
    closing = [_tag(children[i], -1) for i in reversed(opened)] + [_html("</bdi>")] + \
        [_tag(children[i], 1) for i in opened]
    first, last = pieces[lo], pieces[hi]
    if first.kind == "text":
        plan.cut(first.first, start - first.start, 1, opening)
    else:
        plan.before.setdefault(first.first, []).extend(opening)
    if last.kind == "text":
        plan.cut(last.first, end - last.start, 0, closing)
    else:
        plan.after.setdefault(last.last, []).extend(closing)


def _unpaired(pieces: list[_Piece], children: list[Token], a: int, b: int) -> tuple[list[int], list[int]]:
    """The tokens of the closing tags and of the opening tags that pieces a..b leave unpaired."""
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


def _nest(pieces: list[_Piece], children: list[Token], lo: int, hi: int, start: int,
          end: int) -> tuple[int, int, list[int], list[int]] | None:
    """Widen pieces lo..hi over the tags right at the run's edges until its tags pair up. Returns the new
    lo and hi, and the tokens of the closing and of the opening tags still unpaired (to cut in two), or
    None if one of those is a link."""
    closed, opened = _unpaired(pieces, children, lo, hi)
    while closed and lo > 0 and pieces[lo - 1].kind == "tag" and pieces[lo - 1].start == start \
            and children[pieces[lo - 1].first].nesting > 0:
        lo -= 1
        closed, opened = _unpaired(pieces, children, lo, hi)
    while opened and hi + 1 < len(pieces) and pieces[hi + 1].kind == "tag" and pieces[hi + 1].start == end \
            and children[pieces[hi + 1].first].nesting < 0:
        hi += 1
        closed, opened = _unpaired(pieces, children, lo, hi)
    if any(children[i].tag not in _SPLITTABLE for i in closed + opened):
        return None
    return lo, hi, closed, opened


def _tag(tok: Token, nesting: Literal[-1, 1]) -> Token:
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
