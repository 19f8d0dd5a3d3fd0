"""Control characters out of user text: one line stays one line, no NUL anywhere.

A line break in a title broke the iCalendar feed, and PostgreSQL refuses NUL bytes
that SQLite stores. Forms (gstp.forms) and every mapped string column (gstp.db) apply
these, so no form, import or command can store them.
"""
import re

# Line and paragraph breaks of every kind, and tabs: a space in a single-line field.
_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
# Other C0 controls, DEL and C1 controls (NUL included): nothing to show, dropped.
# So are the bidirectional embeddings, overrides and isolates: they reverse a title.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
                       r"\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"\r\n?|[\x85\u2028\u2029]")


def single_line(value):
    """A title, name, address…: breaks and tabs become spaces, other controls go."""
    if not isinstance(value, str):
        return value
    return _BREAKS.sub(" ", _CONTROLS.sub("", value))


def multi_line(value):
    """A description, a letter…: line breaks kept as \\n, tabs kept, other controls go."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _NEWLINES.sub("\n", value))
