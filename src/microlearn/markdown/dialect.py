"""The Markdown dialect of lessons: the markdown-it-py setup and our rules (heading attributes,
``::: notes``/``trainer``/``question``, the layouts ``:::: columns``/``::: column`` and ``![…](…){.side}``,
refused addresses, bidi isolation from bidi.py as a core rule)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin

from microlearn.markdown.bidi import isolate_inline

# `## Title {time=2m #id .class}`: Pandoc/Quarto attributes at the end of a heading, read from the end
# of the line in linear time (see ``split_heading_attrs``).

# Schemes we never link to from lesson content; data: is allowed for raster images only.
SAFE_IMAGE_DATA = re.compile(r"^data:image/(?:gif|png|jpeg|webp);", re.I)
BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.I)


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
            quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "\"'"
            values[key] = value[1:-1] if quoted else value
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


def _side_images(state: StateCore) -> None:
    """Mark an image followed by ``{.side}`` (a lesson's body only: inline text such as an objective keeps
    its braces as written) and take the braces out of the text."""
    if state.inlineMode:
        return
    for block in state.tokens:
        children = (block.children or []) if block.type == "inline" else []
        for i, tok in enumerate(children):
            if tok.type != "image" or i + 1 >= len(children) or children[i + 1].type != "text":
                continue
            after = children[i + 1]
            found = _SIDE.match(after.content)
            if found:
                tok.meta["side"] = True
                after.content = after.content[found.end():]


def _isolate_ltr(state: StateCore) -> None:
    """In a right-to-left lesson, wrap left-to-right runs of text in <bdi>."""
    if not state.env.get("rtl"):
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = isolate_inline(block.children)


def _validate_link(url: str) -> bool:
    if SAFE_IMAGE_DATA.match(url):
        return True
    return not BAD_SCHEME.match(url)


# The fenced divs of a lesson: '::: notes' (narration), '::: trainer' (directions for the trainer only) and
# '::: question' (a self-check); each is written '::: name' or '::: {.name}'.
CONTAINERS = ("notes", "trainer", "question")
# The layout's fenced divs, the Quarto convention: ':::: columns' holding two or three '::: column' (the
# columns' fence has more colons than a column's, so that a column's ':::' does not close it). Each renders
# as <div class="columns"> and <div class="column">; lessons/parse.py checks how they are put together.
LAYOUTS = ("columns", "column")
# `![alt](file.svg){.side}`: a picture in a column of its own beside the rest of its slide. The braces
# right after an image are taken off and the image token gets meta["side"]; parse.py checks where it stands.
_SIDE = re.compile(r"^\{\s*\.side\s*\}")


def _container_validate(name: str) -> Callable[..., bool]:
    def validate(params: str, *args: object) -> bool:
        return params.strip() in (name, "{." + name + "}")
    return validate


def _render_code_inline(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                        env: EnvType) -> str:
    # Code is left-to-right in every lesson; an explicit dir also isolates it (HTML's UA stylesheet
    # gives [dir] elements unicode-bidi: isolate).
    direction = ' dir="ltr"' if env.get("rtl") else ""
    return f"<code{direction}>{escapeHtml(tokens[idx].content)}</code>"


def _render_fence(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: EnvType) -> str:
    return f'<pre dir="ltr"><code>{escapeHtml(tokens[idx].content)}</code></pre>\n'


def _render_link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                      env: EnvType) -> str:
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
    md.validateLink = _validate_link  # type: ignore[method-assign]  # markdown-it-py's documented hook
    for name in CONTAINERS:
        container_plugin(md, name, validate=_container_validate(name))
    for name in LAYOUTS:
        container_plugin(md, name, validate=_container_validate(name))
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs)
    md.core.ruler.after("inline", "side_images", _side_images)
    md.core.ruler.push("isolate_ltr", _isolate_ltr)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_fence)
    md.add_render_rule("link_open", _render_link_open)
    return md
