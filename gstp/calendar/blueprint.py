"""The public blueprint, shared by the page views and the feed and data views."""
import sqlalchemy as sa
from flask import Blueprint

from gstp.activities.models import Occurrence
from gstp.pagecache import set_clock

bp = Blueprint("calendar", __name__)


# Lists of what is still to come change by themselves when a date ends: shared pages
# showing them are keyed by the last end already past, read with the public version, and
# that key holds until the next end (both read in one statement, the ends_at index).
_ENDS = Occurrence.ends_at
_NOW = sa.bindparam("now", type_=_ENDS.type)
set_clock(sa.select(sa.func.max(_ENDS)).where(_ENDS < _NOW).scalar_subquery(),
          sa.select(sa.func.min(_ENDS)).where(_ENDS >= _NOW).scalar_subquery())
