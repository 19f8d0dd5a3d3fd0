"""Imports every domain's models so the metadata (and Alembic) sees the whole schema.

Also the model-level session hooks that must always be registered.
"""
from gstp.activities import (
    search,  # noqa: F401 - keeps search documents current on flush
    sequence,  # noqa: F401
)
from gstp.activities.changes import PublicChange  # noqa: F401 - logs what each version changed
from gstp.activities.models import Activity, AttendanceReport, Occurrence  # noqa: F401
from gstp.activities.returning import EditionInvitation  # noqa: F401
from gstp.activities.survey import SurveyAnswer, SurveyQuestion  # noqa: F401
from gstp.audit.models import AuditEntry  # noqa: F401
from gstp.editions.models import Edition  # noqa: F401
from gstp.geo.models import District, GeocodeCache, GeocoderThrottle, Mrc, Municipality, Region  # noqa: F401,E501
from gstp.letters.models import Campaign, ElectedOfficial, Invitation, Letter, Signatory  # noqa: F401
from gstp.mail.models import OutboxMessage  # noqa: F401
from gstp.organizations.models import Organization, User  # noqa: F401
from gstp.privacy.models import Incident, PolicyVersion  # noqa: F401
from gstp.public_version.bumping import PublicDataVersion  # noqa: F401
from gstp.security.models import RateLimitCounter  # noqa: F401
from gstp.stats import frozen  # noqa: F401 - kept figures of closed editions follow late changes
from gstp.stats.models import (  # noqa: F401
    FrozenStatistic,
    MediaResult,
    MetricDefinition,
    MetricValue,
    OpEd,
    OpEdSignatory,
)
