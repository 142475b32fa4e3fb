"""The markdown-it-py setup and our rules: heading attributes, ``::: notes``, bidi isolation."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

# `## Title {time=2m #id .class}`: Pandoc/Quarto attributes at the end of a heading.
HEADING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")

# Schemes we never link to from lesson content; data: is allowed for raster images only.
SAFE_IMAGE_DATA = re.compile(r"^data:image/(?:gif|png|jpeg|webp);", re.I)
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.I)

# A run of left-to-right text (Latin, Greek or Cyrillic letters, with the digits, spaces and
# punctuation between them), optionally in parentheses. Inside a right-to-left paragraph it is wrapped
# in <bdi> so that "(Omni-channel)", "UPS, FedEx" or "5 GB" keep their order and their brackets.
# The bidi algorithm would also pull weak and neutral signs at a run's edges over to the right-to-left
# side, so the run takes them with it:
# - before it: "#shop", "@myshop" (# or @ before a letter or digit), "+98 21 5555" (+ before a digit),
#   "-5 °C", "±2 %", "−3" (a sign starting a number, after a space or at the start);
# - inside and after it: unit signs "25 °C", "1,000 m²", "5 ‰", "°C" (and ³ ¹ ‱ ℃ ℉ ™ ®), µ as a letter;
# - after a letter: "C++", "C#", "Notepad++".
# Persian and Arabic punctuation (، ؛ ؟ ٪) and digits never belong to a run; a lone digit is not a run.
_LETTER = "A-Za-z\u00b5\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_SIGN = "\u00b0\u00b2\u00b3\u00b9\u2030\u2031\u2103\u2109\u2122\u00ae"  # ° ² ³ ¹ ‰ ‱ ℃ ℉ ™ ®
_LEAD = rf"(?:[#@](?=[{_LETTER}0-9])|\+(?=[0-9])|(?<![^\s(])[-\u2212\u00b1](?=[0-9])|\u00b0(?=[{_LETTER}]))"
_INNER = rf"[{_LETTER}0-9{_SIGN} .,:;/&+'\u2019_%@#-]"
_LAST = rf"[{_LETTER}0-9%{_SIGN}]"
_TAIL = rf"(?:(?<=[{_LETTER}])(?:\+\+?|#)(?![{_LETTER}0-9]))"
LTR_RUN = re.compile(
    rf"\(?(?:{_LEAD}[{_LETTER}0-9](?:{_INNER}*{_LAST})?{_TAIL}?"  # a sign first: "#shop", "+98", "°C"
    rf"|[{_LETTER}0-9]{_INNER}*{_LAST}{_TAIL}?"  # two characters or more: "FOMO", "5 MB", "25°"
    rf"|[{_LETTER}]{_TAIL}?)\)?"  # one letter: "C", "C++"
)


def ltr_spans(text: str):
    """The (start, end) of each left-to-right run of ``text``, brackets kept balanced."""
    for match in LTR_RUN.finditer(text):
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


def parse_attrs(text: str) -> tuple[dict[str, str], str | None, list[str], list[str]]:
    """Split ``time=2m #id .class`` into key/values, id, classes and unreadable words."""
    values: dict[str, str] = {}
    ident = None
    classes: list[str] = []
    bad: list[str] = []
    for word in text.split():
        if word.startswith("#") and len(word) > 1:
            ident = word[1:]
        elif word.startswith(".") and len(word) > 1:
            classes.append(word[1:])
        elif "=" in word and not word.startswith("="):
            key, _, value = word.partition("=")
            values[key] = value.strip("\"'")
        else:
            bad.append(word)
    return values, ident, classes, bad


def _heading_attrs(state: StateCore) -> None:
    """Take ``{...}`` off the end of a heading's text and keep it in the heading token's meta."""
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        match = HEADING_ATTRS.search(inline.content)
        if match:
            tok.meta["attrs"] = match.group(1)
            inline.content = inline.content[: match.start()].rstrip()


def _isolate_ltr(state: StateCore) -> None:
    """In a right-to-left lesson, wrap left-to-right runs of text in <bdi>."""
    if not state.env.get("rtl"):
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for tok in block.children:
            if tok.type != "text" or not LTR_RUN.search(tok.content):
                children.append(tok)
                continue
            pos = 0
            for start, end in ltr_spans(tok.content):
                if start > pos:
                    children.append(_text(tok.content[pos:start]))
                children.append(_html('<bdi dir="ltr">'))
                children.append(_text(tok.content[start:end]))
                children.append(_html("</bdi>"))
                pos = end
            if pos < len(tok.content):
                children.append(_text(tok.content[pos:]))
        block.children = children


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
