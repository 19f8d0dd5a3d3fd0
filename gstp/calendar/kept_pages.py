"""Pages showing a few activities, their HTML carried across versions that did not change them.

An activity page shows that activity and its organization's other activities (names,
slug, places: all named by the public change log when they change). Without this, every
edit of any activity made every worker render every activity page again for the new
version. Only for visitors the page cache shares pages between (nobody signed in, nothing
flashed); a page whose rendering made a CSRF token is never kept.
"""
from collections.abc import Callable

from flask import current_app, g, session
from flask_login import current_user

from gstp.calendar import index, queries


def kept_html(key: tuple, render: Callable[[], tuple[str, int, set[int]]]) -> str:
    """The page's HTML; render() gives (html, organization id, ids of the activities shown).

    The previous version's HTML is kept when none of the activities it showed, nor any of
    the organization's public activities now, changed in between.
    """
    if current_user.is_authenticated or "_flashes" in session:
        return render()[0]

    def build() -> tuple | None:
        html, organization_id, shown = render()
        if current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g:
            g.gstp_unkept_html = html
            return None
        return html, organization_id, frozenset(shown)

    def carry(old: tuple | None, changed: set[int]) -> tuple | None:
        if old is None:
            return None
        _html, organization_id, shown = old
        now = set(queries.organization_activity_ids(organization_id))
        return None if changed & (shown | now) else old

    kept = index.carried(key, build, carry)
    if kept is None:
        return g.pop("gstp_unkept_html", None) or render()[0]
    return kept[0]
