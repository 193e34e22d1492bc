"""Safe YAML reading that remembers where every value came from.

PyYAML's *composer* builds a node graph in which every node keeps its start mark
(line and column). We convert that graph to plain Python ourselves instead of using
a constructor, which lets us

* refuse every tag that is not a plain YAML type (no ``!!python/object``, no custom
  tags: nothing in a file can make code run);
* measure how large the document would be once its aliases are expanded, before
  expanding any, so an alias bomb ("billion laughs") or a recursive alias stops
  with a located error instead of eating memory;
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
        limit = MAX_FILE_BYTES // 2**20
        raise ScenarioError(
            [
                Problem(
                    f"file is larger than the {limit} MB limit",
                    location=Location(file),
                    hint="a scenario file is a few kB: is this the right file?",
                )
            ]
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ScenarioError(
            [
                Problem(
                    f"not a text file (NUL byte at offset {nul})",
                    location=_byte_location(raw, nul, file),
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [
                Problem(
                    f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                    location=_byte_location(raw, exc.start, file),
                    hint="save the file as UTF-8",
                )
            ]
        ) from None


def _byte_location(raw: bytes, offset: int, file: str) -> Location:
    """Line and column (counted in bytes) of ``raw[offset]``."""
    start = raw.rfind(b"\n", 0, offset) + 1
    return Location(file, raw.count(b"\n", 0, offset) + 1, offset - start + 1)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and its :class:`SourceMap`."""
    source_map = SourceMap(file)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([_syntax_problem(exc, text, file)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(f"invalid YAML: {exc}", location=Location(file))]) from None
    except RecursionError:
        raise ScenarioError(
            [Problem("invalid YAML: nesting is too deep", location=Location(file))]
        ) from None
    if root is None:
        what = "the file is empty" if not text.strip() else "the file has only comments"
        raise ScenarioError(
            [Problem(what, location=Location(file), hint="a scenario is a mapping of fields")]
        )
    converter = _Converter(source_map)
    try:
        converter.measure(root)
        data = converter.convert(root, ())
    except RecursionError:
        raise ScenarioError(
            [Problem("nesting is too deep (or an alias refers to itself)", location=Location(file))]
        ) from None
    return data, source_map


_OPENERS = ("while parsing a flow", "while scanning a quoted")
_CLOSERS = {"[": "]", "{": "}", '"': '"', "'": "'"}


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """A located problem for a YAML syntax error.

    When a bracket or quote is never closed, PyYAML notices only where the next
    thing goes wrong (often lines later, or at the end of the file); its *context*
    mark is where the unclosed bracket or quote opened, which is where the mistake is.
    """
    problem, context = exc.problem or "", exc.context or ""
    pmark, cmark = exc.problem_mark, exc.context_mark
    hint: str | None = None
    mark = pmark or cmark
    message = f"invalid YAML: {problem or context or 'syntax error'}"
    lines = text.splitlines()
    problem_line = lines[pmark.line] if pmark is not None and pmark.line < len(lines) else ""
    indent = problem_line[: len(problem_line) - len(problem_line.lstrip())]
    if cmark is not None and pmark is not None and context.startswith(_OPENERS):
        line = lines[cmark.line] if cmark.line < len(lines) else ""
        opener = line[cmark.column : cmark.column + 1]
        mark = cmark
        message += f" (by line {pmark.line + 1}, column {pmark.column + 1})"
        closer = _CLOSERS.get(opener)
        hint = f"is the {opener!r} here missing its {closer!r}?" if closer else None
    elif "\t" in indent or "tab character" in problem:
        hint = "indent with spaces: YAML does not allow tabs in indentation"
    elif problem.startswith(("did not find expected", "expected", "mapping values are not")):
        hint = "check this line's indentation against the lines above it"
        if problem.startswith("mapping values"):
            hint += ", or put a value containing ': ' in quotes"
    location = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file)
    return Problem(message, location=location, hint=hint)


class _Converter:
    def __init__(self, source_map: SourceMap) -> None:
        self.source_map = source_map
        self.scalars = yaml.constructor.SafeConstructor()

    def _fail(
        self, node: yaml.Node, message: str, path: Path, hint: str | None = None
    ) -> ScenarioError:
        mark = node.start_mark
        location = Location(self.source_map.file, mark.line + 1, mark.column + 1)
        return ScenarioError([Problem(message, path=path, location=location, hint=hint)])

    def measure(self, root: yaml.Node) -> None:
        """Refuse recursive aliases and alias bombs before expanding anything.

        An alias is the same node object as its anchor, so the expanded size of each
        node can be computed once (memoised by identity): linear in the file's size,
        however large the expansion would be.
        """
        sizes: dict[int, int] = {}
        open_: set[int] = set()  # collection nodes whose children are being measured

        def size(node: yaml.Node) -> int:
            if isinstance(node, yaml.ScalarNode):
                return 1
            known = sizes.get(id(node))
            if known is not None:
                return known
            if id(node) in open_:
                raise self._fail(node, "an alias refers to the value that contains it", ())
            open_.add(id(node))
            children: list[yaml.Node] = (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
            )
            total = 1 + sum(size(child) for child in children)
            open_.discard(id(node))
            if total > MAX_NODES:
                raise self._fail(
                    node, f"document expands to more than {MAX_NODES:,} values (alias bomb?)", ()
                )
            sizes[id(node)] = total
            return total

        size(root)

    def convert(self, node: yaml.Node, path: Path) -> Any:
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
        try:
            value = self.scalars.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError) as error:
            raise self._scalar_refused(node, path, error) from None
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return value

    def _scalar_refused(self, node: yaml.ScalarNode, path: Path, error: Exception) -> ScenarioError:
        """A scalar YAML resolves to a type it cannot build: an integer beyond Python's
        4,300-digit conversion limit, a timestamp that is no date (``2025-13-45``)."""
        text = node.value if len(node.value) <= 40 else node.value[:20] + "…"
        if node.tag == "tag:yaml.org,2002:int":
            digits = sum(ch.isdigit() for ch in node.value)
            message = f"integer of {digits:,} digits is too large"
            hint = "numbers in accord files are at most a few digits long"
        elif node.tag == "tag:yaml.org,2002:timestamp":
            message = f"{text!r} is not a valid date ({error})"
            hint = "write dates as YYYY-MM-DD, or quote the value to keep it as text"
        else:
            message = f"cannot read {text!r} ({error})"
            hint = None
        return self._fail(node, message, path, hint)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        if node.tag != _MAP_TAG:
            raise self._fail(node, f"tag {node.tag!r} is not allowed", path)
        result: dict[Any, Any] = {}
        first: dict[Any, yaml.Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self._fail(
                    key_node, "merge keys (<<) are not supported", path, "write the keys out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, "mapping keys must be plain scalars", path)
            key = self._scalar(key_node, path)
            if key in result:
                was = first[key]
                hint = f"first given at line {was.line + 1}, column {was.column + 1}"
                raise self._fail(key_node, f"duplicate key {key!r}", (*path, key), hint)
            key_mark = first[key] = key_node.start_mark
            self.source_map.marks[(*path, key)] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.convert(value_node, (*path, key))
        return result
