"""The public blueprint, shared by the page views and the feed and data views."""
import sqlalchemy as sa
from flask import Blueprint

from gstp.activities.models import Occurrence
from gstp.pagecache import set_clock

bp = Blueprint("calendar", __name__)


# Lists of what is still to come change by themselves when a date ends: shared pages
# showing them are keyed by the last end already past, read with the public version.
set_clock(sa.select(sa.func.max(Occurrence.ends_at)).where(
    Occurrence.ends_at < sa.bindparam("now", type_=Occurrence.ends_at.type)).scalar_subquery())
