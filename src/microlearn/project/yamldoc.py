"""Safe YAML loading that reports problems at a line and column and remembers where each value stood.

Only text, lists, mappings, ``true``/``false`` and empty values are read: YAML 1.1's other implicit types
would silently change what an author wrote (``12:30`` into 750, ``010`` into 8, ``0x1F`` into 31, ``.inf``
into infinity, ``no`` into false), so those stay the author's text, and explicit tags such as ``!!int`` or
``!!python/object`` are refused. Every text is checked for characters no page may carry (control
characters, lone surrogates, noncharacters), which YAML escapes such as ``"\\0"`` or ``"\\ud800"`` could
otherwise smuggle past the check of the raw file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from microlearn.errors import MicrolearnError

# A front matter or config larger than this is not a lesson header but a mistake (or an attack).
MAX_YAML_CHARS = 200_000

# Characters no text of a lesson or config may hold once YAML has read its escapes: C0 controls other
# than tab and line feed, DEL and C1 controls, lone surrogates, and noncharacters (i18n marks interface
# text with U+FDD0–U+FDEF; U+FFFE, U+FFFF and the last two of every plane are never text).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and records where each key and value stood."""


# Implicit types: only YAML 1.2's true/false and null; every other plain scalar is text.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                              ["~", "n", "N", ""])
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])
_Loader.yaml_constructors = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", None)  # None: any other tag is refused
}


def position(loader: _Loader, mark: yaml.Mark) -> tuple[int, int]:
    """The (line, column) of ``mark`` in the file, counting only '\\n' as a line end (YAML also counts
    U+0085, U+2028 and U+2029, which the rest of microlearn and every editor's line numbers do not)."""
    text = loader.source_text
    index = min(mark.index, len(text))
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + loader.first_line, index - start + 1


def value_position(loader: _Loader, node: yaml.Node) -> tuple[int, int]:
    """Where the value ``node`` was written: for a block scalar (``|`` or ``>``), where its text starts,
    on the line after the indicator; for any other node, where the node starts."""
    if not (isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")):
        return position(loader, node.start_mark)
    text = loader.source_text
    start = text.find("\n", node.start_mark.index)
    if start < 0:
        return position(loader, node.start_mark)
    line, _ = position(loader, node.start_mark)
    indent = re.compile(r"(?:[ ]*\n)*([ ]*)").match(text, start + 1)
    return line + 1, len(indent.group(1)) + 1 if indent else 1


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    bad = _FORBIDDEN.search(value)
    if bad:
        char = ord(bad.group())
        noncharacter = 0xFDD0 <= char <= 0xFDEF or char & 0xFFFE == 0xFFFE
        kind = ("a lone surrogate, which is not a character" if 0xD800 <= char <= 0xDFFF else
                "a noncharacter, for programs' internal use" if noncharacter else "a control character")
        raise MicrolearnError(f"this text holds U+{char:04X}, {kind}; delete it (or the escape that makes "
                              "it)", loader.name, *position(loader, node.start_mark))
    return value


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> list:
    return _LinedList([loader.construct_object(child, deep=True) for child in node.value],
                      [value_position(loader, child) for child in node.value],
                      {n for n, child in enumerate(node.value) if _literal(child)})


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict = {}
    lines: dict = {}
    at: dict = {}
    key_at: dict = {}
    literal: set = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        where = position(loader, key_node.start_mark)
        if not isinstance(key, str):
            raise MicrolearnError(f"keys must be text, not {type(key).__name__} {key!r}", loader.name, *where)
        if key in mapping:
            raise MicrolearnError(f"duplicate key '{key}' (first at line {lines[key]}); keep only one",
                                  loader.name, *where)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = where[0]
        key_at[key] = where
        at[key] = value_position(loader, value_node)
        if _literal(value_node):
            literal.add(key)
    return _LinedDict(mapping, lines, at, key_at, literal)


def _literal(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style == "|"


class _LinedDict(dict):
    """A dict that knows the line of each of its keys, and the (line, column) of each key and value."""

    def __init__(self, data: dict, lines: dict, at: dict, key_at: dict, literal: set | None = None) -> None:
        super().__init__(data)
        self.lines = lines
        self.at = at
        self.key_at = key_at
        self.literal = literal or set()


class _LinedList(list):
    """A list that knows the (line, column) of each of its items."""

    def __init__(self, items: list, at: list, literal: set | None = None) -> None:
        super().__init__(items)
        self.at = at
        self.literal = literal or set()


def value_at(container: Any, key: Any, default: tuple[int, int | None]) -> tuple[int, int | None]:
    """Where the value ``container[key]`` (a key of a mapping, an index of a list) was written."""
    at = getattr(container, "at", None)
    if isinstance(at, dict):
        return at.get(key, default)
    if isinstance(at, list) and isinstance(key, int) and 0 <= key < len(at):
        return at[key]
    return default


def keeps_lines(container: Any, key: Any) -> bool:
    """Whether the text ``container[key]`` is a literal block (``|``), whose lines stand in the file as in
    the text: its line n (from 0) is at ``value_at``'s line + n."""
    return key in getattr(container, "literal", ())


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str, path: Path, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse ``text`` (which starts at ``first_line`` of ``path``).

    Returns the data and, when it is a mapping, the line of each top-level key. Mappings and lists in the
    data know where their values stood (see ``value_at``).
    """
    if len(text) > MAX_YAML_CHARS:
        raise MicrolearnError(
            f"the YAML block is {len(text):,} characters long; the limit is {MAX_YAML_CHARS:,}",
            path, first_line)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        # YAML refuses control characters (other than tab and line ends) anywhere in the block.
        line = text.count("\n", 0, err.position) + first_line
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise MicrolearnError(f"the character U+{err.character:04X} is not allowed in YAML; delete it", path,
                              line, col) from None
    loader.name = str(path)
    loader.first_line = first_line
    loader.source_text = text
    try:
        data = loader.get_single_data()
    except MicrolearnError:
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = position(loader, mark) if mark else (first_line, None)
        problem = err.problem or err.context or "invalid YAML"
        raise MicrolearnError(
            f"invalid YAML: {problem}; check indentation, and quote text that contains ': ' or starts "
            "with a special character", path, line, col) from None
    except yaml.YAMLError as err:
        raise MicrolearnError(f"invalid YAML: {err}", path, first_line) from None
    except RecursionError:
        raise MicrolearnError("the YAML block is nested too deeply", path, first_line) from None
    finally:
        loader.dispose()
    return data, dict(getattr(data, "lines", {}))


def value_list(items: list, at: list) -> list:
    """A list of ``items`` that knows where each was written (``at``: their (line, column))."""
    return _LinedList(items, at)


def value_mapping(data: dict, lines: dict, at: dict, key_at: dict) -> dict:
    """A mapping that knows the line of each key (``lines``), where each value was written (``at``) and
    where each key was (``key_at``)."""
    return _LinedDict(data, lines, at, key_at)
