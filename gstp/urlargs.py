"""Every value a URL carries, parsed once and bounded: junk answers 400 or 404, never 500.

Path values go through the converters registered on the URL map (`<id:…>` for ids, and a
default text converter without control characters); query-string and form values go
through the `*_arg` readers below, which answer 400 to a malformed value.
"""
import re
import unicodedata
from datetime import date
from enum import StrEnum
from typing import TypeVar

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BaseConverter, UnicodeConverter, ValidationError

# Every id column is sa.Integer: 32-bit on PostgreSQL, so a larger value overflows there.
DB_INTEGER_MAX = 2**31 - 1
MAX_PAGE = 10_000  # far beyond any listing, small enough that OFFSET never overflows
# Dates outside these years are typing mistakes or probes; inside them `day ± a year` is
# still a valid date, so date arithmetic on a parsed date cannot overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_IDS = 500  # one request never names more objects than a page shows
ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
ISO_DATE = re.compile(r"([0-9]{4})-[0-9]{2}-[0-9]{2}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

E = TypeVar("E", bound=StrEnum)


class BadArgument(ValueError):
    """A value from the URL that is not of the expected kind or range."""


# --- Parsers: text in, value out, BadArgument otherwise ------------------------------------

def parse_int(text: str, *, minimum: int = 0, maximum: int = DB_INTEGER_MAX) -> int:
    """A whole number written in ASCII digits (not "²", "٣" or "1e3"), within bounds."""
    if not ASCII_DIGITS.fullmatch(text):
        raise BadArgument(text)
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadArgument(text)
    return value


def parse_id(text: str) -> int:
    """A database id: a positive integer that fits the id columns."""
    return parse_int(text, minimum=1)


def parse_page(text: str) -> int:
    """A page number from 1 to MAX_PAGE."""
    return parse_int(text, minimum=1, maximum=MAX_PAGE)


def parse_date(text: str) -> date:
    """An ISO date (YYYY-MM-DD) of a plausible year."""
    match = ISO_DATE.fullmatch(text)
    if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise BadArgument(text)
    try:
        return date.fromisoformat(text)
    except ValueError as error:  # 2026-02-30, month 13…
        raise BadArgument(text) from error


def parse_enum(enum: type[E], text: str) -> E:
    """The member of a StrEnum whose value is this text."""
    try:
        return enum(text)
    except ValueError as error:
        raise BadArgument(text) from error


def parse_flag(text: str) -> bool:
    """A check box or switch written in a URL."""
    return text.strip().lower() in {"1", "on", "true", "oui"}


def clean_text(text: str, *, max_length: int) -> str:
    """Free text (search, codes, names) without control characters, stripped and bounded.

    PostgreSQL refuses NUL in any string, and no filter means anything by a line break.
    """
    return CONTROL_CHARACTERS.sub("", unicodedata.normalize("NFC", text)).strip()[:max_length]


# --- Readers of the current request: absent or blank gives the default, junk gives 400 -----

def _values(name: str, source: MultiDict | None) -> list[str]:
    source = request.args if source is None else source
    return [value.strip() for value in source.getlist(name)]


def _one(name: str, parse, default, source: MultiDict | None):
    values = [value for value in _values(name, source) if value]
    if not values:
        return default
    try:
        return parse(values[0])
    except BadArgument:
        abort(400)


def id_arg(name: str, *, source: MultiDict | None = None) -> int | None:
    """The id in ?name=, or None."""
    return _one(name, parse_id, None, source)


def ids_arg(name: str, *, source: MultiDict | None = None) -> list[int]:
    """Every id given as ?name=…&name=…, without repeats, in order."""
    values = [value for value in _values(name, source) if value]
    if len(values) > MAX_IDS:
        abort(400)
    try:
        return list(dict.fromkeys(parse_id(value) for value in values))
    except BadArgument:
        abort(400)


def page_arg(name: str = "page") -> int:
    """The page number asked for, 1 by default."""
    return _one(name, parse_page, 1, None)


def int_arg(name: str, *, default: int, minimum: int, maximum: int) -> int:
    """A bounded whole number (a number of days, a radius…)."""
    return _one(name, lambda text: parse_int(text, minimum=minimum, maximum=maximum),
                default, None)


def date_arg(name: str) -> date | None:
    """The ISO date in ?name=, or None."""
    return _one(name, parse_date, None, None)


def enum_arg(enum: type[E], name: str, *, default: E | None = None,
             source: MultiDict | None = None) -> E | None:
    """The StrEnum member named by ?name=, or the default."""
    return _one(name, lambda text: parse_enum(enum, text), default, source)


def flag_arg(name: str) -> bool:
    """A check box or switch: on for 1, on, true or oui, off otherwise."""
    return parse_flag(request.args.get(name) or "")


def text_arg(name: str, *, max_length: int) -> str:
    """Free text from ?name= ("" when absent), cleaned by clean_text."""
    values = _values(name, None)
    return clean_text(values[0], max_length=max_length) if values else ""


# --- Path converters --------------------------------------------------------------------

class IdConverter(BaseConverter):
    """`<id:name>`: a database id in ASCII digits; anything else is not this route (404)."""

    regex = r"[0-9]{1,10}"
    weight = 50  # as Werkzeug's int converter: tried before the text converter
    part_isolating = True

    def to_python(self, value: str) -> int:
        try:
            return parse_id(value)
        except BadArgument as error:
            raise ValidationError() from error

    def to_url(self, value) -> str:
        return str(int(value))


class TextConverter(UnicodeConverter):
    """The default path converter, without control characters and at most 1,000 characters.

    Signed links (address check, invitation) carry an e-mail address: up to about 500.
    """

    def __init__(self, map, minlength: int = 1, maxlength: int | None = 1000,
                 length: int | None = None) -> None:
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


PATH_CONVERTERS = {"id": IdConverter, "default": TextConverter, "string": TextConverter}


def init_app(app: Flask) -> None:
    """Register the converters; call before any blueprint adds its routes."""
    app.url_map.converters.update(PATH_CONVERTERS)
