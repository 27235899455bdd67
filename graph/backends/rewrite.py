"""Rewrites of SPARQL text at the token level: dataset clauses and union-default updates.

Two jobs share one tokenizer (strings, IRIs, comments and variables are single tokens, so a
keyword is never found inside them):

- :func:`with_dataset` and :func:`with_using` put a protocol-specified dataset (the
  ``default-graph-uri`` / ``named-graph-uri`` parameters of a query, ``using-graph-uri`` /
  ``using-named-graph-uri`` of an update) into the text as ``FROM`` / ``USING`` clauses,
  replacing the query's own ``FROM`` clauses, as the SPARQL 1.1 Protocol says;
- :func:`union_update` makes an update act on the dataset queries see when the store's
  default graph is the union of its named graphs (Oxigraph queries it that way, but runs
  updates over the real default graph only): the ``WHERE`` of an update without ``USING`` or
  ``WITH`` reads every named graph, a triple deleted from the default graph is deleted from
  every graph, and triples written without ``GRAPH`` are kept in the named graph
  :data:`DEFAULT_GRAPH`.

Callers parse the rewritten text again (the endpoint's guard compares parse trees); these
functions only move tokens and never put user text anywhere but where it was.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_GRAPH", "RewriteError", "has_dataset_clause", "query_shape", "union_update",
           "with_dataset", "with_using"]

#: Named graph that holds the triples an update writes without ``GRAPH`` (the default graph
#: being the union of the named graphs, they need a named graph of their own).
DEFAULT_GRAPH = "https://w3id.org/tkg/kb/graph/updates"

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>[^\W\d][\w\-]*(?:\.[\w\-]+)*(?::(?:[\w\-:%\\]|\.(?=[\w\-:%\\]))*)?
             |:(?:[\w\-:%\\]|\.(?=[\w\-:%\\]))*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
_MODIFIERS = {"GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


class RewriteError(ValueError):
    """The text cannot take the requested rewrite (the message says why, for a client)."""


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    #: Brace depth before the token; parenthesis depth before the token.
    depth: int
    parens: int

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


def _tokens(text: str) -> list[_Tok]:
    tokens, depth, parens = [], 0, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("space", "comment"):
            continue
        tokens.append(_Tok(kind, match.group(), match.start(), match.end(), depth, parens))
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "lparen":
            parens += 1
        elif kind == "rparen":
            parens -= 1
    return tokens


def _iri(value: str) -> str:
    if not _ABSOLUTE_IRI.fullmatch(value):
        raise RewriteError(f"not an absolute IRI: {value!r}")
    return f"<{value}>"


def _matching(tokens: Sequence[_Tok], index: int) -> int:
    """Index of the brace closing the one opened at ``tokens[index]``."""
    depth = tokens[index].depth
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.kind == "close" and token.depth == depth + 1:
            return position
    raise RewriteError("unbalanced braces")


def has_dataset_clause(text: str) -> bool:
    """Whether a query has a ``FROM`` or ``FROM NAMED`` clause of its own.

    Examples
    --------
    >>> has_dataset_clause("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT * WHERE { ?s <urn:from> 'FROM' }")
    False
    """
    return any(t.word == "FROM" and t.depth == 0 for t in _tokens(text))


def query_shape(text: str) -> tuple[str, int | None]:
    """A query's form and top-level ``LIMIT`` (``None`` without one), without parsing it.

    Examples
    --------
    >>> query_shape("SELECT * WHERE { { SELECT * { ?s ?p ?o } LIMIT 5 } } LIMIT 20")
    ('SELECT', 20)
    >>> query_shape("ASK { ?s ?p ?o }")
    ('ASK', None)
    """
    form, limit, previous = "", None, None
    for token in _tokens(text):
        if token.depth == 0 and token.parens == 0:
            if not form and token.word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = token.word
            elif token.kind == "number" and previous is not None and previous.word == "LIMIT":
                limit = int(token.text) if token.text.isdigit() else None
        previous = token
    return form, limit


def with_dataset(text: str, default_graphs: Iterable[str] = (),
                 named_graphs: Iterable[str] = ()) -> str:
    """``text`` (a query) with its ``FROM`` clauses replaced by the given graphs.

    Raises
    ------
    RewriteError
        For a graph name that is not an absolute IRI, or a text with no query form.

    Examples
    --------
    >>> with_dataset("ASK FROM <urn:a> { ?s ?p ?o }", ["urn:b"], ["urn:c"])
    'ASK FROM <urn:b> FROM NAMED <urn:c> { ?s ?p ?o }'
    >>> with_dataset("CONSTRUCT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["urn:b"])
    'CONSTRUCT { ?s ?p 1 } FROM <urn:b> WHERE { ?s ?p ?o }'
    """
    clause = " ".join([f"FROM {_iri(g)}" for g in default_graphs]
                      + [f"FROM NAMED {_iri(g)}" for g in named_graphs])
    tokens = _tokens(text)
    form = next((i for i, t in enumerate(tokens) if t.depth == 0 and t.parens == 0
                 and t.word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if form is None:
        raise RewriteError("no query form (SELECT, ASK, CONSTRUCT, DESCRIBE) found")
    cuts: list[tuple[int, int]] = []
    index = form + 1
    if tokens[form].word == "CONSTRUCT" and index < len(tokens) and tokens[index].kind == "open":
        index = _matching(tokens, index) + 1
    insert_at = len(text)
    while index < len(tokens):
        token = tokens[index]
        if token.depth == 0 and token.parens == 0:
            if token.word == "FROM":
                end = index + 1
                if end < len(tokens) and tokens[end].word == "NAMED":
                    end += 1
                if end >= len(tokens):
                    raise RewriteError("FROM without a graph")
                insert_at = min(insert_at, token.start)
                cuts.append((token.start, tokens[end].end))
                index = end + 1
                continue
            if token.word == "WHERE" or token.kind == "open" or token.word in _MODIFIERS:
                insert_at = min(insert_at, token.start)
                break
        index += 1
    pieces, last = [], 0
    for start, end in cuts:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    rest = "".join(pieces)
    # Offsets before the first cut are unchanged.
    before, after = rest[:insert_at], rest[insert_at:]
    if not clause:
        return before + after
    return f"{before.rstrip()} {clause} {after.lstrip()}".rstrip() if after else \
        f"{before.rstrip()} {clause}"


@dataclass
class _Operation:
    tokens: list[_Tok]

    def keyword(self) -> tuple[str, str]:
        """The operation's first keyword (after its prologue) and the one that follows."""
        index = 0
        while index < len(self.tokens):
            word = self.tokens[index].word
            if word == "BASE":
                index += 2
            elif word == "PREFIX":
                index += 3
            else:
                following = self.tokens[index + 1].word if index + 1 < len(self.tokens) else ""
                return word, following
        return "", ""


def _operations(tokens: Sequence[_Tok]) -> list[_Operation]:
    operations, current = [], []
    for token in tokens:
        if token.depth == 0 and token.kind == "other" and token.text == ";":
            operations.append(_Operation(current))
            current = []
        else:
            current.append(token)
    if current:
        operations.append(_Operation(current))
    return operations


def with_using(text: str, default_graphs: Iterable[str] = (),
               named_graphs: Iterable[str] = ()) -> str:
    """``text`` (an update) with ``USING`` clauses for the given graphs in every operation
    that has a ``WHERE``.

    ``DELETE WHERE { P }`` takes no ``USING``; it becomes ``DELETE { P } USING ... WHERE { P }``.

    Raises
    ------
    RewriteError
        If an operation has ``USING`` or ``WITH`` of its own (the protocol forbids both), or
        for a graph name that is not an absolute IRI.

    Examples
    --------
    >>> with_using("INSERT { ?s a <urn:T> } WHERE { ?s ?p ?o }", ["urn:g"])
    'INSERT { ?s a <urn:T> } USING <urn:g> WHERE { ?s ?p ?o }'
    """
    clause = " ".join([f"USING {_iri(g)}" for g in default_graphs]
                      + [f"USING NAMED {_iri(g)}" for g in named_graphs])
    if not clause:
        return text
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(_tokens(text)):
        first, second = operation.keyword()
        top = [t for t in operation.tokens if t.depth == 0]
        if any(t.word in ("USING", "WITH") for t in top):
            raise RewriteError("the update names its own dataset (USING or WITH) and the "
                               "request gives using-graph-uri or using-named-graph-uri: "
                               "send one or the other")
        if first == "DELETE" and second == "WHERE":
            edits.extend(_delete_where(text, operation, clause))
        elif first in ("INSERT", "DELETE") and second != "DATA":
            where = next(t for t in top if t.word == "WHERE")
            edits.append((where.start, where.start, f"{clause} "))
    return _apply(text, edits)


def _delete_where(text: str, operation: _Operation, using: str,
                  template: str | None = None) -> list[tuple[int, int, str]]:
    """Edits turning ``DELETE WHERE { P }`` into ``DELETE { T } <using> WHERE { P }``."""
    tokens = operation.tokens
    where = next(i for i, t in enumerate(tokens) if t.word == "WHERE" and t.depth == 0)
    body = text[tokens[where + 1].start:tokens[_matching(tokens, where + 1)].end]
    template = body if template is None else template
    replacement = f"{template} {using} WHERE" if using else f"{template} WHERE"
    return [(tokens[where].start, tokens[where].end, replacement)]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _split_template(text: str, tokens: Sequence[_Tok], open_index: int) -> tuple[str, str]:
    """The triples of a quad template outside ``GRAPH`` blocks, and the blocks, as text."""
    close = _matching(tokens, open_index)
    depth = tokens[open_index].depth + 1
    plain, graphs = [], []
    index, piece_start = open_index + 1, tokens[open_index].end
    while index < close:
        token = tokens[index]
        if token.depth == depth and token.word == "GRAPH":
            plain.append(text[piece_start:token.start])
            block_open = index + 2
            block_close = _matching(tokens, block_open)
            graphs.append(text[token.start:tokens[block_close].end])
            index = block_close + 1
            if index < close and tokens[index].kind == "other" and tokens[index].text == ".":
                index += 1
            piece_start = tokens[index].start if index < close else tokens[close].start
            continue
        index += 1
    plain.append(text[piece_start:tokens[close].start])
    parts = []
    for piece in plain:
        piece = piece.strip()
        while piece.endswith("."):
            piece = piece[:-1].rstrip()
        while piece.startswith("."):
            piece = piece[1:].lstrip()
        if piece:
            parts.append(piece)
    return " . ".join(parts), " ".join(graphs)


def _graph_names(tokens: Sequence[_Tok]) -> set[str]:
    """IRIs written after ``GRAPH`` in the text (graphs an update may create)."""
    names = set()
    for first, second in itertools.pairwise(tokens):
        if first.word == "GRAPH" and second.kind == "iri":
            names.add(second.text[1:-1])
    return names


def union_update(text: str, graphs: Iterable[str]) -> str:
    """``text`` (an update) made to act on the union of the named graphs ``graphs``.

    - an ``INSERT``/``DELETE ... WHERE`` without ``USING`` or ``WITH`` reads every named
      graph (``USING`` and ``USING NAMED`` each of them, and :data:`DEFAULT_GRAPH`);
    - triples a ``DELETE`` (``DATA``, ``WHERE`` or template) names outside ``GRAPH`` and
      without ``WITH`` are deleted from every named graph as well as the default graph;
    - after each operation, what it wrote to the default graph is moved to
      :data:`DEFAULT_GRAPH`, so the default graph stays empty and the union is complete.

    Graphs named in the update itself are added to ``graphs``. Prefixed names in the text
    are left as they are (the caller declares its prefixes).

    Examples
    --------
    >>> text = union_update("DELETE WHERE { ?s a <urn:T> }", ["urn:g"])
    >>> text.startswith("DELETE { ?s a <urn:T> GRAPH <https://w3id.org/tkg/kb/graph/updates> "
    ...                 "{ ?s a <urn:T> } GRAPH <urn:g> { ?s a <urn:T> } } USING")
    True
    >>> text.endswith("ADD SILENT DEFAULT TO <https://w3id.org/tkg/kb/graph/updates> ; "
    ...               "CLEAR SILENT DEFAULT")
    True
    """
    tokens = _tokens(text)
    names = sorted(set(graphs) | _graph_names(tokens) | {DEFAULT_GRAPH})
    using = " ".join([f"USING {_iri(g)}" for g in names]
                     + [f"USING NAMED {_iri(g)}" for g in names])
    move = (f" ; ADD SILENT DEFAULT TO {_iri(DEFAULT_GRAPH)} ; CLEAR SILENT DEFAULT")
    edits: list[tuple[int, int, str]] = []
    operations = _operations(tokens)
    for operation in operations:
        if not operation.tokens:
            continue
        first, second = operation.keyword()
        if not first:
            continue
        ops = operation.tokens
        top = [t for t in ops if t.depth == 0]
        explicit_with = any(t.word == "WITH" for t in top)
        explicit_using = any(t.word == "USING" for t in top)

        def spread(open_index: int, ops: list[_Tok] = ops) -> str:
            plain, blocks = _split_template(text, ops, open_index)
            if not plain:
                return text[ops[open_index].start:ops[_matching(ops, open_index)].end]
            copies = " ".join(f"GRAPH {_iri(g)} {{ {plain} }}" for g in names)
            return f"{{ {plain} {blocks} {copies} }}".replace("  ", " ")

        if first == "DELETE" and second in ("DATA", "WHERE"):
            open_index = next(i for i, t in enumerate(ops)
                              if t.kind == "open" and t.depth == 0)
            close = _matching(ops, open_index)
            if second == "DATA":
                edits.append((ops[open_index].start, ops[close].end, spread(open_index)))
            else:
                edits.extend(_delete_where(text, operation, using, spread(open_index)))
        elif first in ("WITH", "INSERT", "DELETE") and second != "DATA":
            if not explicit_with:
                delete = next((i for i, t in enumerate(ops)
                               if t.depth == 0 and t.word == "DELETE"), None)
                if delete is not None and ops[delete + 1].kind == "open":
                    close = _matching(ops, delete + 1)
                    edits.append((ops[delete + 1].start, ops[close].end, spread(delete + 1)))
            if not explicit_with and not explicit_using:
                where = next(t for t in top if t.word == "WHERE")
                edits.append((where.start, where.start, f"{using} "))
        edits.append((ops[-1].end, ops[-1].end, move))
    return _apply(text, edits)
