"""Column types and mixins shared by every domain package."""
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from gstp.controls import multi_line, single_line


def utcnow() -> datetime:
    """Current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetime stored in UTC; SQLite gives back naive values, so re-attach UTC."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    """created_at / updated_at, filled by callables so each row gets its own time."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


def enum_column(enum_cls, **kwargs):
    """A StrEnum stored as a plain string column (generic type, no native ENUM to migrate)."""
    length = max(len(member.value) for member in enum_cls)
    return mapped_column(
        sa.Enum(enum_cls, native_enum=False, length=max(length, 20),
                values_callable=lambda cls: [m.value for m in cls], validate_strings=True),
        **kwargs,
    )


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys unless asked on each connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _clean_on_set(clean):
    def listener(target, value, oldvalue, initiator):
        return clean(value)
    return listener


@event.listens_for(Mapper, "mapper_configured")
def _no_control_characters(mapper, class_) -> None:
    """Every string column cleans what it is given: Text keeps line breaks, String does not.

    Whatever the path (form, CSV import, command, service), a control character never
    reaches the database; enums and custom types are left alone.
    """
    for prop in mapper.column_attrs:
        column_type = prop.columns[0].type
        if type(column_type) not in (sa.String, sa.Text, sa.Unicode, sa.UnicodeText):
            continue
        clean = multi_line if isinstance(column_type, sa.Text) else single_line
        event.listen(getattr(class_, prop.key), "set", _clean_on_set(clean), retval=True)
