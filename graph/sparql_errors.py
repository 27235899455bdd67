"""Explain malformed SPARQL: point at the first wrong word and name the keyword meant.

Parsers report where they gave up ("error at 1:10: expected CONSTRUCT"), which is often
after the real mistake. :func:`explain` looks first for the usual slip, a misspelt keyword
(``SELEKT``, ``WHRE``, ``OPTIONL``), and names it with its line and column and the keyword it
is closest to; otherwise it keeps the parser's own message. Every backend formats its
syntax errors through it, so the message is the same whichever store runs the query.
"""

from __future__ import annotations

import difflib
import re

__all__ = ["FORMS", "KEYWORDS", "explain", "located"]

#: Words that may start a query or an update (after PREFIX and BASE declarations).
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "INSERT", "DELETE", "LOAD", "CLEAR",
         "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")

#: Every bare word SPARQL 1.1 knows: keywords and built-in functions (case-insensitive).
_WORDS = """
    BASE PREFIX WHERE FROM NAMED DISTINCT REDUCED AS GROUP BY ORDER ASC DESC HAVING LIMIT OFFSET
    VALUES UNDEF OPTIONAL UNION MINUS GRAPH SERVICE SILENT BIND FILTER NOT EXISTS IN A TRUE FALSE
    DATA DEFAULT ALL INTO TO USING SEPARATOR
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN
    UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY
    HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE
    IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
"""
KEYWORDS = frozenset((*FORMS, *_WORDS.split()))

# What is skipped when looking for bare words: comments, strings, IRIs, variables, prefixed
# names, numbers, blank nodes and language tags; what is left are words and punctuation.
_SKIP = re.compile(r"""
      \#[^\n]*                              # comment
    | '''.*?''' | \"\"\".*?\"\"\"           # long strings
    | '(?:[^'\\\n]|\\.)*' | "(?:[^"\\\n]|\\.)*"   # strings
    | <[^<>"{}|^`\\\s]*>                    # IRI
    | [?$]\w+                               # variable
    | _:[\w.-]+                             # blank node
    | @[A-Za-z]+(?:-[A-Za-z0-9]+)*          # language tag
    | [A-Za-z_][\w.-]*:[\w.:%-]*            # prefixed name
    | :[\w.:%-]*                            # name in the default prefix
    | \^\^                                  # datatype marker
    | \d+(?:\.\d*)?(?:[eE][+-]?\d+)?        # number
    """, re.VERBOSE | re.DOTALL)
_WORD = re.compile(r"[A-Za-z_]\w*")


def _words(text: str):
    """(word, offset) for every bare word outside comments, strings, IRIs and names."""
    position = 0
    while position < len(text):
        skipped = _SKIP.match(text, position)
        if skipped and skipped.end() > position:
            position = skipped.end()
            continue
        word = _WORD.match(text, position)
        if word:
            yield word.group(), position
            position = word.end()
        else:
            position += 1


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_CHOICE = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]')


def located(text: str, parser_message: str, *, choices: int = 8) -> str:
    """Oxigraph's ``error at LINE:COLUMN: expected ...`` made readable: the list of what the
    parser expected cut to its first ``choices`` entries (it lists every Unicode range a
    name may start with) and the text at that position quoted.

    Examples
    --------
    >>> located("INSERT DATA { <urn:a> <urn:b> }",
    ...         'error at 1:31: expected one of "$", "(", "+", "-", ".", ":", "<", "?", "[", "_:"')
    'at 1:31: expected one of "$", "(", "+", "-", ".", ":", "<", "?", … (near: })'
    """
    found = _POSITION.match(" ".join(parser_message.split()))
    if not found:
        return parser_message
    line, column, rest = int(found.group(1)), int(found.group(2)), found.group(3)
    if rest.startswith("expected one of "):
        # Character classes ("['A' ..= 'Z' | ... 30 Unicode ranges]") said in words.
        options = list(dict.fromkeys(_class_in_words(o) for o in _CHOICE.findall(rest)))
        rest = "expected one of " + ", ".join(options[:choices]) + (
            ", …" if len(options) > choices else "")
    lines = text.split("\n")
    near = ""
    if 1 <= line <= len(lines):
        offset = sum(len(previous) + 1 for previous in lines[:line - 1]) + column - 1
        near = f" (near: {_near(text, offset)})" if text[offset:].strip() else " (at the end)"
    return f"at {line}:{column}: {rest}{near}"


def _class_in_words(option: str) -> str:
    if not option.startswith("["):
        return option
    if "'A'" in option or "'a'" in option:
        return "a name"
    if "'0'" in option:
        return "a digit"
    return "a character"


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _near(text: str, offset: int) -> str:
    snippet = " ".join(text[offset:offset + 40].split())
    return snippet + ("…" if len(text) > offset + 40 else "")


def _closest(word: str, choices) -> str | None:
    found = difflib.get_close_matches(word.upper(), sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def explain(text: str, parser_message: str = "") -> str:
    """A one-line explanation of why ``text`` is not valid SPARQL.

    Parameters
    ----------
    text : str
        The query or update.
    parser_message : str
        What the parser said, kept when no better explanation is found.

    Examples
    --------
    >>> print(explain("SELEKT ?x WHERE { ?x ?p ?o }", "error at 1:10: expected CONSTRUCT"))
    malformed SPARQL at 1:1: 'SELEKT' is not a SPARQL keyword; did you mean SELECT? (near: ...
    >>> explain("SELECT ?x\\nWHRE { ?x ?p ?o }")[:60]
    "malformed SPARQL at 2:1: 'WHRE' is not a SPARQL keyword; did"
    >>> explain("SELECT ?x WHERE { ?x ?y }", "expected something")
    'malformed SPARQL: expected something'
    """
    words = list(_words(text))
    # The prologue (PREFIX p: <iri>, BASE <iri>) leaves no bare words but its keywords.
    body = [(w, at) for w, at in words if w.upper() not in ("PREFIX", "BASE")]
    if body:
        first, at = body[0]
        if first.upper() not in FORMS:
            guess = _closest(first, FORMS)
            meant = (f"did you mean {guess}?" if guess else
                     f"a query starts with {', '.join(FORMS[:4])} (or an update keyword)")
            return (f"malformed SPARQL at {_where(text, at)}: {first!r} is not a SPARQL "
                    f"keyword; {meant} (near: {_near(text, at)})")
    for word, at in body[1:]:
        if word.upper() in KEYWORDS:
            continue
        guess = _closest(word, KEYWORDS)
        if guess:
            return (f"malformed SPARQL at {_where(text, at)}: {word!r} is not a SPARQL "
                    f"keyword; did you mean {guess}? (near: {_near(text, at)})")
    return f"malformed SPARQL: {parser_message}" if parser_message else "malformed SPARQL"
