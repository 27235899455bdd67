"""Curation without Turtle: draft claims from a text, review them in a spreadsheet, import them.

- :func:`draft` proposes claims per paragraph of a profile's text (plain data);
- :func:`write_review` writes a draft as a review workbook (or straight as Turtle);
- :func:`import_claims` turns a reviewed workbook into validated Turtle;
- :func:`export_claims` writes the curated file of one document as the same workbook, so
  that existing data can be reviewed and edited the same way.
"""

from graph.curation.claims import (
    document_file,
    draft_book,
    export_claims,
    import_claims,
    write_review,
)
from graph.curation.draft import dockey, draft, slug
from graph.curation.text import read_text, split

__all__ = ["dockey", "document_file", "draft", "draft_book", "export_claims", "import_claims",
           "read_text", "slug", "split", "write_review"]
