"""Pages showing a few activities, their HTML carried across versions that did not change them.

An activity page shows that activity and its organization's other activities (names,
slug, places: all named by the public change log when they change). Without this, every
edit of any activity made every worker render every activity page again for the new
version. Only for visitors the page cache shares pages between (nobody signed in, nothing
flashed); a page whose rendering made a CSRF token is never kept.
"""
from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app, g, session
from flask_login import current_user

from gstp.activities.models import Activity
from gstp.calendar.carry import carried
from gstp.calendar.memo import memoized
from gstp.extensions import db


def kept_html(key: tuple, render: Callable[[], tuple[str, int, set[int]]]) -> str:
    """The page's HTML; render() gives (html, organization id, ids of the activities shown).

    The previous version's HTML is kept when none of the activities it showed, nor any
    other activity of the organization, changed in between.
    """
    if current_user.is_authenticated or "_flashes" in session:
        return render()[0]

    def build() -> tuple | None:
        html, organization_id, shown = render()
        if current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g:
            g.gstp_unkept_html = html
            return None
        return html, organization_id, frozenset(shown)

    def bring_forward(old: tuple | None, changed: set[int]) -> tuple | None:
        if old is None or not changed:
            return old
        _html, organization_id, shown = old
        # A changed activity of the organization not shown may now be among those shown.
        if changed & shown or organization_id in _organizations_of(changed):
            return None
        return old

    kept = carried(key, build, bring_forward)
    if kept is None:
        return g.pop("gstp_unkept_html", None) or render()[0]
    return kept[0]


def _organizations_of(changed: set[int]) -> set[int]:
    """Organizations of the changed activities that still exist, once per version (a deleted
    one was either shown, so caught, or changes nothing shown)."""
    return memoized(("changed_organizations", frozenset(changed)), lambda: set(db.session.scalars(
        sa.select(Activity.organization_id).where(Activity.id.in_(sorted(changed))))))
