"""docs/theory.md read as data: its sections, their words, and the proof-graph
nodes each subsection names on its `Nodes:` line, so the report can put the
mathematics in words next to the nodes that encode it.

Only the small Markdown subset theory.md uses is understood: `##`/`###`
headings, paragraphs, `-` lists and indented code blocks. Inline markup is
left to the renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from osp.errors import OspInputError

#: the repository's docs/theory.md; an installed wheel carries it as osp/docs/theory.md (package osp.docs)
THEORY_PATH = Path(__file__).resolve().parents[2] / "docs" / "theory.md"
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\.?\s+")
_NODE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Block:
    kind: str                # "p", "ul" or "pre"
    lines: tuple[str, ...]   # paragraph text, list items or code lines


@dataclass(frozen=True)
class Section:
    anchor: str              # "theory-3.1"
    number: str              # "3.1" ("" for the preamble and the arithmetic rules)
    title: str
    level: int               # 1, 2 or 3 ('#', '##', '###')
    blocks: tuple[Block, ...]
    nodes: tuple[str, ...]   # node ids named on the section's `Nodes:` line


def _anchor(number: str, title: str) -> str:
    key = number or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"theory-{key}"


def _blocks(lines: list[str]) -> tuple[list[Block], list[str]]:
    blocks: list[Block] = []
    nodes: list[str] = []
    para: list[str] = []
    items: list[str] = []
    code: list[str] = []

    def flush() -> None:
        for kind, buf in (("p", para), ("ul", items), ("pre", code)):
            if buf:
                blocks.append(Block(kind, tuple(buf)))
                buf.clear()

    for line in lines:
        if line.startswith("Nodes:"):
            flush()
            nodes.extend(_NODE.findall(line))
        elif line.startswith("    ") and not items:
            if para:
                flush()
            code.append(line[4:])
        elif not line.strip():
            flush()
        elif line.startswith("- "):
            if para or code:
                flush()
            items.append(line[2:].strip())
        elif items and line.startswith("  "):
            items[-1] += " " + line.strip()
        else:
            if code:
                flush()
            para.append(line.strip())
    flush()
    return blocks, nodes


def parse(text: str) -> list[Section]:
    sections: list[Section] = []
    head: tuple[int, str] | None = None
    body: list[str] = []

    def close() -> None:
        if head is None:
            return
        level, title = head
        m = _NUMBER.match(title)
        number = m.group(1) if m else ""
        title = title[m.end():] if m else title
        blocks, nodes = _blocks(body)
        sections.append(Section(_anchor(number, title), number, title, level, tuple(blocks), tuple(nodes)))

    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            close()
            head, body = (len(m.group(1)), m.group(2).strip()), []
        else:
            body.append(line)
    close()
    return sections


def _default_path() -> Path | None:
    if THEORY_PATH.exists():
        return THEORY_PATH
    try:
        shipped = resources.files("osp.docs").joinpath("theory.md")
    except ModuleNotFoundError:
        return None
    return Path(str(shipped)) if shipped.is_file() else None


def load(path: Path | None = None) -> list[Section]:
    """The sections of docs/theory.md (the checkout's, else the copy a wheel ships); none when neither
    exists, and the report then says so."""
    path = path or _default_path()
    if path is None or not path.exists():
        return []
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OspInputError(f"cannot read the mathematics {path}: {exc.strerror}") from None


def node_sections(sections: list[Section]) -> dict[str, Section]:
    """Each node id -> the one section that names it (a node named twice is an error in theory.md)."""
    out: dict[str, Section] = {}
    for s in sections:
        for nid in s.nodes:
            if nid in out:
                raise OspInputError(f"docs/theory.md names node {nid!r} in sections {out[nid].number} and {s.number}")
            out[nid] = s
    return out
