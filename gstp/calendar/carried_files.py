"""Feeds and open-data files carried across versions, with the checks of the pages.

Such a file lists the public activities of the edition matching its filters, and shows
nothing but them and what names them (the edition, organizations, places: a change of
those is not "only activities", so it is never carried past one). It holds at a later
version while no changed activity was listed (`shows`) and none is now public in the
edition and matching its filters (`joins`): an activity published, moved into its region,
cancelled, deleted or withdrawn is one or the other. Left built at each version: a file
ordered by distance ("near me", read by SQL) or by SQLite's search rank, which weighs
every row of the edition, so an edit anywhere may reorder it.
"""
from collections.abc import Iterable

from gstp.calendar import index, search_ranks
from gstp.calendar.carry import (
    only_activities_changed_since,
    page_not_carried,
    page_shows,
    version_token,
)
from gstp.calendar.filters import ActivityFilters
from gstp.pagecache import holds_while, page_check


def file_lists(activity_ids: Iterable[int], *, edition_id: int | None,
               filters: ActivityFilters) -> None:
    """The file being built lists these activities of the edition, those matching the
    filters: carried while no change touches one of them or brings another in."""
    if (edition_id is None or not index.supports(filters)
            or (filters.searching and not search_ranks.carried_by_lexemes())):
        page_not_carried()
        return
    page_shows(activity_ids)
    holds_while("joins", version_token(), edition_id, _membership(filters))


# Left out of the check of who may join, which then lets more in, never fewer: the date
# (a file of what is still to come is not carried past a date's end: pagecache keys), the
# search words (SQL) and the place (never carried).
_UNCHECKED = frozenset({"q", "all", "near", "radius"})


def _membership(filters: ActivityFilters) -> dict:
    return {name: value for name, value in filters.to_args().items() if name not in _UNCHECKED}


@page_check("joins")
def _joins(tag: str, token: str, edition_id: int, filter_args: dict) -> bool:
    changed = only_activities_changed_since(tag, token)
    if changed is None:
        return False
    if not changed:
        return True
    filters = ActivityFilters.from_args(filter_args)
    rows = index.matching(index.EditionRef(edition_id), filters, upcoming=False)
    return changed.isdisjoint(row.id for row in rows)
