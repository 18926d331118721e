"""Load YAML while remembering the line each value came from, so problems can say `file:line`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded YAML document with the 1-based line of every key and list item."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[str, int]] = field(default_factory=list)
    first_line: int = 1

    def line(self, *path: str | int) -> int:
        """Return the line of the deepest part of `path` that exists, else the document's first line."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.first_line


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str, *, line_offset: int = 0) -> Located:
    """Parse one YAML document. Line numbers are shifted by `line_offset` (for front matter in a file)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = exc.problem or exc.context or "malformed YAML"
        raise YamlProblem(line, f"malformed YAML: {problem}") from None
    located = Located(data=None, first_line=line_offset + 1)
    if node is None:
        return located
    located.data = _walk(node, (), located, line_offset)
    return located


def _walk(node: yaml.Node, path: Path, located: Located, offset: int) -> Any:
    located.lines.setdefault(path, node.start_mark.line + 1 + offset)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in result:
                located.duplicate_keys.append((str(key), line))
            located.lines[(*path, key)] = line
            result[key] = _walk(value_node, (*path, key), located, offset)
            located.lines[(*path, key)] = line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            located.lines[(*path, index)] = item.start_mark.line + 1 + offset
            items.append(_walk(item, (*path, index), located, offset))
        return items
    # A scalar: let PyYAML's safe constructor decide its type (int, date, bool, str, None).
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise YamlProblem(node.start_mark.line + 1 + offset, f"malformed YAML: {exc.problem}") from None
    finally:
        loader.dispose()
