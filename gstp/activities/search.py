"""Full-text search of activities in French and English, accent- and case-insensitive.

Each activity keeps a search document (title, venue, organization, municipality,
description), refreshed before every flush. PostgreSQL analyses it itself with the
`gstp_fr` and `gstp_en` text-search configurations (unaccent, then the Snowball stemmer)
into a stored generated column under a GIN index (`search_vector`, and `title_vector` for
ranking): the planner sees the column's statistics, and neither the match nor the rank
analyses a row's text again on each search. SQLite has no French stemmer, so there the
document is stored already analysed the same way in Python (Snowball stemmer, same stop
words) and indexed by FTS5.
Both rank a word of the title above the same word further down.
"""
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import snowballstemmer
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from gstp.activities.models import Activity
from gstp.geo.models import Municipality
from gstp.geo.text import strip_accents
from gstp.organizations.models import Organization

LANGUAGES = ("french", "english")
# Words as PostgreSQL's default parser sees them: letters and digits; the rest separates.
WORD = re.compile(r"[^\W_]+")
# The FTS5 table of SQLite, PostgreSQL's configurations, stored vectors and GIN index (migrations).
FTS_TABLE = "activity_search"
PG_CONFIGS = {"french": "gstp_fr", "english": "gstp_en"}
PG_INDEX = "ix_activity_search_vector"
PG_VECTOR = sa.literal_column("activity.search_vector")
PG_TITLE_VECTOR = sa.literal_column("activity.title_vector")
PG_COLUMNS = frozenset({"search_vector", "title_vector"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic filter: the search index and vectors are made by migrations, not the models."""
    outside_models = (name == PG_INDEX or (type_ == "column" and name in PG_COLUMNS)
                      or (type_ == "table" and (name or "").startswith(FTS_TABLE)))
    return not (reflected and compare_to is None and outside_models)


@cache
def _stop_words(language: str) -> frozenset[str]:
    path = Path(__file__).with_name("stopwords") / f"{language}.txt"
    return frozenset(path.read_text(encoding="utf-8").split())


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def _stem(word: str, language: str) -> str:
    # The same few thousand words come back in every activity: stemming is most of the cost
    # of building SQLite's search document, so each word's stem is remembered (bounded).
    return _stemmer(language).stemWord(word)


def nfc(text: str | None) -> str:
    """Composed Unicode: « é » typed as e + accent is one letter for both databases."""
    return unicodedata.normalize("NFC", text or "")


def terms(text: str, language: str) -> list[str]:
    """Stems of the words of a text, as PostgreSQL's configuration for that language gives."""
    stems = []
    for word in WORD.findall(nfc(text).lower()):
        # Same order as the configurations: unaccent, then stop words, then the stemmer.
        word = strip_accents(word)
        if word not in _stop_words(language):
            stems.append(_stem(word, language))
    return stems


def analysed(text: str) -> str:
    """The text SQLite's FTS5 indexes: the stems of every word in both languages."""
    return " ".join(" ".join(terms(text, language)) for language in LANGUAGES)


def sqlite_document(title: str, text: str) -> str:
    """What SQLite's FTS5 indexes: the stems, the title's twice so bm25 ranks them higher."""
    return analysed(title) + "\n" + analysed(text)


def document_text(activity: Activity, session: Session) -> str:
    """Plain text a visitor may search an activity by."""
    organization = activity.organization or (
        session.get(Organization, activity.organization_id) if activity.organization_id else None)
    municipality = activity.municipality or (
        session.get(Municipality, activity.municipality_code)
        if activity.municipality_code else None)
    return nfc(join_parts(activity.title, activity.venue_name,
                      organization.name if organization else "",
                      municipality.name if municipality else "", activity.description))


def join_parts(*parts: str | None) -> str:
    """The searchable fields in one text, one per line (shared with the migration)."""
    return "\n".join(part for part in parts if part)


def search_document(activity: Activity, session: Session) -> str:
    """What the database's full-text index reads for an activity (see the module docstring)."""
    text = document_text(activity, session)
    if session.get_bind().dialect.name == "postgresql":
        return text
    return sqlite_document(activity.title, text)


@event.listens_for(Session, "before_flush")
def _refresh_documents(session: Session, flush_context, instances) -> None:
    """Keep search documents current whatever changed an activity or its organization's name."""
    with session.no_autoflush:
        activities = {obj for obj in session.new | session.dirty if isinstance(obj, Activity)}
        renamed = [obj.id for obj in session.dirty if isinstance(obj, Organization)
                   and sa.inspect(obj).attrs.name.history.has_changes()]
        if renamed:
            activities.update(session.scalars(
                sa.select(Activity).where(Activity.organization_id.in_(renamed))))
        for activity in activities:
            document = search_document(activity, session)
            if activity.search_document != document:
                activity.search_document = document


def has_terms(query: str) -> bool:
    """Whether a visitor's text holds any searchable word (not only stop words)."""
    return any(terms(query, language) for language in LANGUAGES)


def _pg_query(query: str):
    # Either language's reading of the words must all match (AND), whichever it is (OR).
    french, english = (sa.func.plainto_tsquery(
        sa.literal_column(f"'{PG_CONFIGS[language]}'::regconfig"), nfc(query))
        for language in LANGUAGES)
    if terms(query, "french") == terms(query, "english"):
        return french  # the same stems: one reading, not each row tested twice
    return french.op("||")(english)


def _fts_query(query: str) -> str:
    """FTS5 MATCH text: (all French stems) OR (all English stems), each stem quoted."""
    groups = []
    for language in LANGUAGES:
        stems = terms(query, language)
        if stems:
            groups.append("(" + " AND ".join(f'"{stem}"' for stem in stems) + ")")
    return " OR ".join(groups)


def _fts_rows(query: str):
    return (sa.select(sa.literal_column("rowid").label("activity_id"),
                      sa.literal_column(f"bm25({FTS_TABLE})").label("rank"))
            .select_from(sa.table(FTS_TABLE))
            .where(sa.literal_column(FTS_TABLE).op("MATCH")(_fts_query(query))))


def matches(query: str, dialect: str):
    """WHERE clause: activities whose document holds every word of the query."""
    if dialect == "postgresql":
        return PG_VECTOR.op("@@")(_pg_query(query))
    return Activity.id.in_(sa.select(_fts_rows(query).subquery().c.activity_id))


def ranks(query: str, dialect: str, *, edition_id: int,
          only: frozenset[int] | None = None) -> sa.Select:
    """(activity id, rank key) of the edition's activities matching the query (of these ids
    only, when given: PostgreSQL); lower keys rank higher, in the order of relevance()
    (SQLite may also name other editions')."""
    if dialect == "postgresql":
        query = _pg_query(query)
        key = -(sa.func.ts_rank(PG_VECTOR, query) + sa.func.ts_rank(PG_TITLE_VECTOR, query))
        stmt = (sa.select(Activity.id, key)
                .where(PG_VECTOR.op("@@")(query), Activity.edition_id == edition_id))
        return stmt if only is None else stmt.where(Activity.id.in_(sorted(only)))
    return _fts_rows(query)


def relevance(query: str, dialect: str):
    """ORDER BY expression, best match first."""
    if dialect == "postgresql":
        query = _pg_query(query)
        return (sa.func.ts_rank(PG_VECTOR, query)
                + sa.func.ts_rank(PG_TITLE_VECTOR, query)).desc()
    rows = _fts_rows(query).subquery()
    # bm25() is negative, lower is better.
    return (sa.select(rows.c.rank).where(rows.c.activity_id == Activity.id)
            .scalar_subquery().asc())


# PostgreSQL: which changed activities a query may have come to match, without asking it.
# plainto_tsquery gives an AND of lexemes only, so a document matches one reading exactly
# when it holds every lexeme of it (positions and weights play no part in &).
_LEXEME = re.compile(r"'((?:[^']|'')*)'")


def query_readings(query: str) -> sa.Select:
    """One row: each reading of the query (French, English) as PostgreSQL's querytree text."""
    return sa.select(*(sa.func.querytree(sa.func.plainto_tsquery(
        sa.literal_column(f"'{PG_CONFIGS[language]}'::regconfig"), nfc(query)))
        for language in LANGUAGES))


def reading_lexemes(querytree: str) -> frozenset[str]:
    """The lexemes of one querytree text ('T' or empty: none, which matches nothing)."""
    return frozenset(match.replace("''", "'") for match in _LEXEME.findall(querytree))


def document_lexemes(ids: frozenset[int]) -> sa.Select:
    """(id, edition id, lexemes) of the stored search vector of each of these activities."""
    return (sa.select(Activity.id, Activity.edition_id, sa.func.tsvector_to_array(PG_VECTOR))
            .where(Activity.id.in_(sorted(ids))))


def may_match(readings: tuple[frozenset[str], ...], lexemes: frozenset[str]) -> bool:
    """Whether a document of these lexemes matches some reading of the query."""
    return any(reading and reading <= lexemes for reading in readings)
