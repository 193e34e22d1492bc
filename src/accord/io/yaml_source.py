"""Safe YAML reading that remembers where every value came from.

PyYAML's *composer* builds a node graph in which every node keeps its start mark
(line and column). We convert that graph to plain Python ourselves instead of using
a constructor, which lets us

* refuse every tag that is not a plain YAML type (no ``!!python/object``, no custom
  tags: nothing in a file can make code run);
* count nodes while expanding aliases, so an alias bomb ("billion laughs") or a
  recursive alias stops with a located error instead of eating memory;
* refuse duplicate mapping keys, which PyYAML otherwise silently overwrites;
* record the line and column of every value in a :class:`SourceMap`, keyed by the
  path of keys and indices that leads to it, for located validation messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from accord.errors import Location, Path, Problem, ScenarioError

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "SourceMap", "decode_text", "parse_yaml"]

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files larger than this are refused before parsing (a scenario is a few kB)."""

MAX_NODES = 1_000_000
"""Most values (after alias expansion) a document may hold."""

_SAFE_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

try:  # the C loader is much faster when libyaml is available
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


@dataclass
class SourceMap:
    """Where each value of a parsed document stands in its file."""

    file: str
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path) -> Location:
        """The location of ``path``, or of its closest ancestor that has one."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(tuple(path[:end]))
            if mark is not None:
                return Location(self.file, mark[0], mark[1])
        return Location(self.file)

    def known(self, path: Path) -> int:
        """How many leading parts of ``path`` name real places in the document."""
        for end in range(len(path), -1, -1):
            if tuple(path[:end]) in self.marks:
                return end
        return 0


def decode_text(raw: bytes, file: str) -> str:
    """Bytes to text, refusing binary and oversized content with a located message."""
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    f"file is {len(raw) / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB",
                    location=Location(file),
                )
            ]
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ScenarioError(
            [Problem(f"not a text file (NUL byte at offset {nul})", location=Location(file))]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [
                Problem(
                    f"not UTF-8 text (invalid byte at offset {exc.start})",
                    location=Location(file),
                )
            ]
        ) from None


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and its :class:`SourceMap`."""
    source_map = SourceMap(file)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
        what = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Problem(f"invalid YAML: {what}", location=location)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(f"invalid YAML: {exc}", location=Location(file))]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem("invalid YAML: nesting is too deep", location=Location(file))]
        ) from None
    if root is None:
        raise ScenarioError([Problem("the file is empty", location=Location(file))])
    converter = _Converter(source_map)
    try:
        data = converter.convert(root, ())
    except RecursionError:
        raise ScenarioError(
            [Problem("nesting is too deep (or an alias refers to itself)", location=Location(file))]
        ) from None
    return data, source_map


class _Converter:
    def __init__(self, source_map: SourceMap) -> None:
        self.source_map = source_map
        self.nodes = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def _fail(self, node: yaml.Node, message: str, path: Path) -> ScenarioError:
        mark = node.start_mark
        location = Location(self.source_map.file, mark.line + 1, mark.column + 1)
        return ScenarioError([Problem(message, path=path, location=location)])

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._fail(
                node, f"document expands to more than {MAX_NODES:,} values (alias bomb?)", path
            )
        mark = node.start_mark
        self.source_map.marks.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._fail(node, f"tag {node.tag!r} is not allowed", path)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        raise self._fail(node, "unsupported YAML node", path)  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        if node.tag not in _SAFE_SCALAR_TAGS:
            raise self._fail(node, f"tag {node.tag!r} is not allowed", path)
        value = self.scalars.construct_object(node, deep=True)
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        if node.tag != _MAP_TAG:
            raise self._fail(node, f"tag {node.tag!r} is not allowed", path)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(key_node, "merge keys (<<) are not supported", path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, "mapping keys must be plain scalars", path)
            key = self._scalar(key_node, path)
            if key in result:
                raise self._fail(key_node, f"duplicate key {key!r}", (*path, key))
            key_mark = key_node.start_mark
            self.source_map.marks[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.convert(value_node, (*path, key))
        return result
