"""The layouts of a slide, as the lesson writes them, checked and laid out:

- ``:::: columns`` holding two or three ``::: column`` blocks (the Quarto convention), rendered by the
  dialect as ``<div class="columns">`` and ``<div class="column">``; ``ColumnsCheck`` finds every way of
  writing them wrong;
- ``![alt](file.svg){.side}`` as the first or last block of a slide: the picture in a column of its own
  beside the rest (``side_block`` says which block it is, ``render_side`` lays the slide out);
- ``## Title {.statement}``: the stage's first paragraph gets the class ``statement`` (``mark_statement``),
  which every output sets large and centred.

A lesson without them renders exactly as it did before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from microlearn.errors import MicrolearnError
from microlearn.markdown.dialect import CONTAINERS, LAYOUTS

MIN_COLUMNS, MAX_COLUMNS = 2, 3
STATEMENT = "statement"
_COLUMNS_OPEN = "container_columns_open"
_COLUMN_OPEN = "container_column_open"
_WORDS = {1: "one column", 4: "four columns"}


def _layout(tok: Token) -> str | None:
    """'columns' or 'column' for the token that opens one, else None."""
    if tok.nesting == 1 and tok.type.startswith("container_") and tok.type.endswith("_open"):
        kind = tok.type[len("container_"):-len("_open")]
        return kind if kind in LAYOUTS else None
    return None


def _opens_block(tok: Token) -> str | None:
    """'notes', 'trainer' or 'question' for the token that opens one, else None."""
    if tok.nesting == 1 and tok.type.startswith("container_") and tok.type.endswith("_open"):
        kind = tok.type[len("container_"):-len("_open")]
        return kind if kind in CONTAINERS else None
    return None


@dataclass
class _Columns:
    """The ':::: columns' block being read."""

    line: int
    level: int
    close: int  # the index of its closing token
    end: int  # the line (of the body) its closing fence stands on
    count: int = 0
    stray_told: bool = False
    broken: bool = False  # its mistake is told: nothing inside it is checked


class ColumnsCheck:
    """Follows ':::: columns' and '::: column' through a body's tokens (``lines``: the body's lines):
    a column outside columns or inside another column, columns inside a list, a quote or a block, three
    colons where four are needed, a block never closed, other than two or three columns, text between
    the columns, an empty column, and narration, questions or a stage heading inside the columns."""

    def __init__(self, tokens: list[Token], lines: list[str]) -> None:
        self.tokens, self.lines = tokens, lines
        self.closing: dict[int, int] = {}
        opened: list[int] = []
        for i, tok in enumerate(tokens):
            if tok.type.startswith("container_"):
                if tok.nesting == 1:
                    opened.append(i)
                elif tok.nesting == -1 and opened:
                    self.closing[opened.pop()] = i
        self.inside: set[int] = set()  # the tokens inside a columns block: their mistakes are told here
        for i, tok in enumerate(tokens):
            if _layout(tok) == "columns":
                self.inside.update(range(i + 1, self.closing.get(i, len(tokens))))
        self.current: _Columns | None = None
        # a '::: columns' or a column outside columns was told: the stage's other columns are not told again
        self.told_outside = False

    def _fence_closes(self, line: int | None, colons: int) -> bool:
        """Whether the body's ``line`` is a fence of at least ``colons`` colons and nothing else."""
        if line is None or not 0 <= line < len(self.lines):
            return False
        text = self.lines[line].strip()
        return len(text) >= colons and not text.strip(":")

    def visit(self, i: int, tok: Token, line: int, path: Path) -> MicrolearnError | None:
        """The mistake token ``i`` (at ``line`` of ``path``) makes, if any."""
        current = self.current
        if current is not None and i == current.close:
            self.current = None
            return None if current.broken else self._count(current, path)
        if tok.level == 0 and tok.type == "heading_open" and tok.tag == "h2":
            self.told_outside = False
        if current is None:
            kind = _layout(tok)
            if kind == "columns":
                return self._open(i, tok, line, path)
            if kind == "column" and not self.told_outside:
                self.told_outside = True  # the stage's other columns stand outside too: told once
                return MicrolearnError(
                    "a '::: column' outside ':::: columns': put a line ':::: columns' (four colons) "
                    "before the first column and a line '::::' after the last", path, line, 1)
            return None
        if current.broken:
            return None
        problem = self._inside(i, tok, line, current, path)
        # one mistake a block: what follows from it (a column closed too early, text left between) is not told
        current.broken = problem is not None
        return problem

    def _open(self, i: int, tok: Token, line: int, path: Path) -> MicrolearnError | None:
        end = tok.map[1] if tok.map else None
        current = _Columns(line, tok.level, self.closing.get(i, len(self.tokens)), end or 0)
        self.current = current
        if tok.level > 0:
            current.broken = True
            return MicrolearnError(
                "':::: columns' starts a line of its own in the stage, not inside a list, a quote or a "
                "'::: notes', '::: trainer' or '::: question' block", path, line, 1)
        if len(tok.markup) <= 3:
            current.broken = self.told_outside = True
            return MicrolearnError(
                "write ':::: columns' with four colons, and close it with a line '::::': with three, the "
                "first column's ':::' closes the columns", path, line, 1)
        if not self._fence_closes(end, len(tok.markup)):
            current.broken = True
            return MicrolearnError(
                "this ':::: columns' block is never closed, so it takes in the rest of the lesson; add a "
                "line '::::' after its last column (four colons: ':::' closes a column)", path, line, 1)
        return None

    def _inside(self, i: int, tok: Token, line: int, current: _Columns, path: Path) -> MicrolearnError | None:
        depth = tok.level - current.level
        kind = _layout(tok)
        if kind == "columns":
            return MicrolearnError(
                f"':::: columns' inside the ':::: columns' block opened at line {current.line}; columns do not "
                "nest: close the first with '::::' before the next begins", path, line, 1)
        if kind == "column":
            return self._column(i, tok, line, depth, current, path)
        block = _opens_block(tok)
        if block:
            return MicrolearnError(
                f"a '::: {block}' block inside the ':::: columns' block opened at line {current.line}; "
                "narration, directions and questions go after the '::::' that closes the columns",
                path, line, 1)
        if tok.type == "heading_open" and tok.tag == "h2":
            return MicrolearnError(
                f"a '## ' heading inside the ':::: columns' block opened at line {current.line} starts no "
                "stage; use '### ' for a heading in a column, or close the columns with a line '::::' "
                "before the next stage", path, line, 1)
        if depth == 1 and tok.nesting >= 0 and not current.stray_told:
            current.stray_told = True
            return MicrolearnError(
                "text inside ':::: columns' but outside its columns; put it into a '::: column' block, or "
                "before the ':::: columns' line or after its '::::'", path, line, 1)
        return None

    def _column(self, i: int, tok: Token, line: int, depth: int, current: _Columns,
                path: Path) -> MicrolearnError | None:
        if depth != 1:
            outer = next((self.tokens[j] for j in range(i - 1, -1, -1)
                          if _layout(self.tokens[j]) == "column" and self.closing.get(j, 0) > i), None)
            if outer is not None and outer.map and tok.map:
                return MicrolearnError(
                    f"a '::: column' inside the column opened at line {line - tok.map[0] + outer.map[0]}; "
                    "close that column with a line ':::' before this one opens", path, line, 1)
            return MicrolearnError("a '::: column' stands directly in ':::: columns', not inside a list or a "
                                   "quote", path, line, 1)
        current.count += 1
        end = tok.map[1] if tok.map else None
        if end is None or end >= current.end or not self._fence_closes(end, len(tok.markup)):
            return MicrolearnError(
                "this '::: column' is never closed; add a line ':::' after its text, before the next "
                "'::: column' or the '::::' that closes the columns", path, line, 1)
        if self.closing.get(i) == i + 1:
            return MicrolearnError("this '::: column' is empty; write its text before the ':::' that closes "
                                   "it, or remove the column", path, line, 1)
        return None

    @staticmethod
    def _count(current: _Columns, path: Path) -> MicrolearnError | None:
        count = current.count
        if count < MIN_COLUMNS:
            return MicrolearnError(
                f"':::: columns' holds {_WORDS.get(count, 'no column')}; write two or three '::: column' "
                "blocks in it, or remove the ':::: columns' and '::::' lines", path, current.line, 1)
        if count > MAX_COLUMNS:
            return MicrolearnError(
                f"':::: columns' holds {_WORDS.get(count, f'{count} columns')}; two or three fit side by side "
                "on a slide: merge some, or split the slide with '---'", path, current.line, 1)
        return None


def has_side(tok: Token) -> bool:
    """Whether an inline token holds a ``{.side}`` picture."""
    return tok.type == "inline" and any(child.type == "image" and child.meta.get("side")
                                        for child in tok.children or [])


def blocks_of(tokens: list[Token]) -> list[list[Token]]:
    """Top-level blocks of ``tokens``, each as its tokens (opening to closing)."""
    blocks: list[list[Token]] = []
    depth = 0
    for tok in tokens:
        if depth == 0:
            blocks.append([])
        blocks[-1].append(tok)
        depth += tok.nesting
    return blocks


_SIDE_HINT = "; move it, or remove '{.side}'"


def side_block(blocks: list[list[Token]], where: Callable[[Token], tuple[int, int | None]], path: Path,
               placed: set[int], problems: list[MicrolearnError]) -> int | None:
    """Which of a slide's top-level ``blocks`` is its ``{.side}`` picture (None when it has none). A
    ``{.side}`` picture found at the top level is added to ``placed`` (by ``id``), and its mistake to
    ``problems``; ``where`` gives a token's line and column."""
    found: int | None = None
    for index, block in enumerate(blocks):
        for tok in block:
            if not has_side(tok) or block[0].type != "paragraph_open" or tok.level != 1:
                continue  # not at the slide's top level: told with those not placed at all
            placed.add(id(tok))
            problem = _side_problem(block, tok, index, len(blocks), found)
            if problem:
                problems.append(MicrolearnError(problem, path, *where(tok)))
            elif found is None:
                found = index
    return found


def _side_problem(block: list[Token], tok: Token, index: int, count: int, found: int | None) -> str | None:
    others = [c for c in tok.children or [] if not (c.type == "image" and c.meta.get("side"))
              and not (c.type in ("text", "softbreak") and not c.content.strip())]
    if others:
        return "a '{.side}' picture stands alone in its paragraph, with a blank line before and after it"
    if count == 1:
        return ("a '{.side}' picture goes beside the slide's text, but this slide holds nothing else; add the "
                "text it goes with, or remove '{.side}'")
    if index not in (0, count - 1):
        return ("a '{.side}' picture goes first or last on its slide, so that the rest can stand beside it"
                + _SIDE_HINT)
    if found is not None:
        return "a slide has one '{.side}' picture; remove '{.side}' from the other"
    return None


NOT_PLACED = ("a '{.side}' picture stands on a line of its own as the first or last block of a slide, not "
              "inside a list, a quote, a column, the narration, the directions or a question" + _SIDE_HINT)


def render_side(blocks: list[list[Token]], side: int, render: Callable[[list[Token]], str]) -> str:
    """A slide whose block ``side`` is a ``{.side}`` picture: the picture in a column of its own beside the
    rest, in the order they are written."""
    picture = f'<div class="column side">\n{render(blocks[side])}</div>\n'
    rest = f'<div class="column">\n{render([t for n, b in enumerate(blocks) if n != side for t in b])}</div>\n'
    return f'<div class="columns">\n{picture + rest if side == 0 else rest + picture}</div>\n'


def mark_statement(slides: list[list[Token]]) -> bool:
    """Give the first top-level paragraph of text of a stage (its slides' shown tokens, in order) the class
    ``statement``; False when the stage has none."""
    for tokens in slides:
        for i, tok in enumerate(tokens[:-1]):
            if tok.type == "paragraph_open" and tok.level == 0 and _has_text(tokens[i + 1]):
                tok.attrJoin("class", STATEMENT)
                return True
    return False


def _has_text(inline: Token) -> bool:
    """Whether an inline token holds text, not only a picture (a '{.side}' one, say)."""
    return any(child.type in ("text", "code_inline") and child.content.strip() for child in inline.children or [])
