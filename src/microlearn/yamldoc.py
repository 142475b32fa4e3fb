"""Safe YAML loading that reports problems at a line and remembers where each key stood."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import MicrolearnError

# A front matter or config larger than this is not a lesson header but a mistake (or an attack).
MAX_YAML_CHARS = 200_000


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and records the line of each mapping key."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    mapping: dict = {}
    lines: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            raise MicrolearnError(
                f"keys must be text, not {type(key).__name__} {key!r}",
                loader.name, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in mapping:
            raise MicrolearnError(
                f"duplicate key '{key}' (first at line {lines[key] + loader.first_line - 1}); keep only one",
                loader.name, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    return _LinedDict(mapping, lines)


class _LinedDict(dict):
    """A dict that knows the source line of each of its keys."""

    def __init__(self, data: dict, lines: dict) -> None:
        super().__init__(data)
        self.lines = lines


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str, path: Path, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Parse ``text`` (which starts at ``first_line`` of ``path``).

    Returns the data and, when it is a mapping, the line of each top-level key.
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
    try:
        data = loader.get_single_data()
    except MicrolearnError as err:
        err.line = (err.line or 1) + first_line - 1
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + first_line if mark else first_line
        col = mark.column + 1 if mark else None
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
    lines = {k: v + first_line - 1 for k, v in getattr(data, "lines", {}).items()}
    return data, lines
