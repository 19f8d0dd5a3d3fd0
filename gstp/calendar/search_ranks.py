"""Which activities match a text search and how well, kept per query across versions.

A search asks PostgreSQL once per query and process; a later version asks again only for
the changed activities it held or may now match, which the lexemes of their stored
vectors tell without asking the query (search.may_match). SQLite asks at each version:
FTS5's bm25 weighs a word by its rarity over every row, so an edit moves other ranks.
"""
from gstp.activities import search
from gstp.calendar.carry import carried, only_activities_changed_since, version_token
from gstp.calendar.memo import memoized
from gstp.extensions import db
from gstp.pagecache import holds_while, page_check
from gstp.public_version.reading import read_committed


def ranks(edition_id: int, q: str) -> dict[int, float]:
    """The rank key of each activity matching q, by id: asked once, then only for the
    activities each version changed (a PostgreSQL rank reads its own row alone)."""
    dialect = db.engine.dialect.name

    def ask(only: frozenset[int] | None = None) -> dict[int, float]:
        # Committed rows, no transaction of its own: two round trips fewer than the session's.
        return dict(read_committed(search.ranks(q, dialect, edition_id=edition_id, only=only)))

    if dialect != "postgresql":
        # FTS5's bm25 weighs a word by its rarity over every row: an edit moves other ranks.
        return memoized(("ranks", edition_id, q), ask)

    def carry(old: dict, changed: set[int]) -> dict:
        # Asked again: the changed activities it held, and those that may now match it.
        readings = _readings(q)
        lexemes = _document_lexemes(frozenset(changed))
        again = {i for i in changed if i in old or (
            i in lexemes and lexemes[i][0] == edition_id
            and search.may_match(readings, lexemes[i][1]))}
        if not again:  # none held (else asked again), none may match: the same ranks
            return old
        found = {i: rank for i, rank in old.items() if i not in changed}
        found.update(ask(frozenset(again)))
        return found
    return carried(("ranks", edition_id, q), ask, carry)


_READINGS: dict[str, tuple[frozenset[str], ...]] = {}  # query → its lexemes: data never moves them
_MAX_READINGS = 50_000


def _readings(q: str) -> tuple[frozenset[str], ...]:
    readings = _READINGS.get(q)
    if readings is None:
        if len(_READINGS) >= _MAX_READINGS:
            _READINGS.clear()
        row = read_committed(search.query_readings(q))[0]
        readings = _READINGS[q] = tuple(search.reading_lexemes(text or "") for text in row)
    return readings


def _document_lexemes(ids: frozenset[int]) -> dict[int, tuple[int, frozenset[str]]]:
    """(edition id, lexemes) of these activities, read once per version for all queries."""
    kept = memoized(("document_lexemes",), dict)
    missing = ids - kept.keys()
    if missing:
        kept.update((i, (edition_id, frozenset(lexemes or ()))) for i, edition_id, lexemes
                    in read_committed(search.document_lexemes(missing)))
        kept.update((i, (None, frozenset())) for i in missing - kept.keys())  # deleted
    return kept


def carried_by_lexemes() -> bool:
    """Whether a search page may be carried on what the lexemes tell (PostgreSQL)."""
    return db.engine.dialect.name == "postgresql"


def page_searches(q: str, edition_id: int, listed: list[int]) -> None:
    """The page being built lists these activities matching q (and its other filters): it
    holds while no changed activity was listed, nor may match q now (no query to ask at a
    later version, whatever the filters say of it)."""
    holds_while("search", version_token(), edition_id,
                [sorted(reading) for reading in _readings(q)], sorted(listed))


@page_check("search")
def _search_holds(tag: str, token: str, edition_id: int, readings: list,
                  matched: list[int]) -> bool:
    changed = only_activities_changed_since(tag, token)
    if changed is None or not changed.isdisjoint(matched):
        return False
    lexemes = _document_lexemes(changed)
    readings = tuple(frozenset(reading) for reading in readings)
    return not any(lexemes[i][0] == edition_id and search.may_match(readings, lexemes[i][1])
                   for i in changed)
