"""The URL parsers: what they accept, and the bounds that keep junk away from the database."""
from datetime import date, timedelta

import pytest

from gstp.activities.models import ActivityState
from gstp.urlargs import (
    DB_INTEGER_MAX,
    MAX_PAGE,
    BadArgument,
    clean_text,
    parse_date,
    parse_enum,
    parse_flag,
    parse_id,
    parse_page,
)


def test_ids_are_ascii_digits_within_the_id_columns():
    assert parse_id("1") == 1
    assert parse_id("0042") == 42
    assert parse_id(str(DB_INTEGER_MAX)) == 2_147_483_647
    for junk in ("0", "-1", "+1", str(DB_INTEGER_MAX + 1), "9" * 20, "²", "١٢", "1e3", "1.0",
                 "0x10", "1_000", "", " 1", "1\n"):
        with pytest.raises(BadArgument):
            parse_id(junk)


def test_pages_start_at_one_and_stop_at_max_page():
    assert parse_page("1") == 1 and parse_page(str(MAX_PAGE)) == MAX_PAGE
    for junk in ("0", str(MAX_PAGE + 1), "9" * 20, "²"):
        with pytest.raises(BadArgument):
            parse_page(junk)


def test_dates_are_iso_days_of_plausible_years_whose_arithmetic_cannot_overflow():
    assert parse_date("2026-11-17") == date(2026, 11, 17)
    last = parse_date("2100-12-31")
    assert last + timedelta(days=366) > last  # no OverflowError near the bound
    for junk in ("9999-12-31", "0000-00-00", "0001-01-01", "1999-12-31", "2101-01-01",
                 "2026-02-30", "2026-13-01", "20261117", "2026-W47", "2026-11-17T10:00",
                 "٢٠٢٦-١١-١٧", "-2026-11-17", ""):
        with pytest.raises(BadArgument):
            parse_date(junk)


def test_enums_accept_only_member_values():
    assert parse_enum(ActivityState, "published") is ActivityState.PUBLISHED
    for junk in ("PUBLISHED", "'", "", "published "):
        with pytest.raises(BadArgument):
            parse_enum(ActivityState, junk)


def test_text_loses_control_characters_and_is_bounded():
    assert clean_text("  Qu\x00é\nbec\x7f ", max_length=100) == "Québec"
    assert clean_text("e\u0301te", max_length=100) == "éte"  # one form for comparisons
    assert clean_text("x" * 500, max_length=100) == "x" * 100


def test_flags():
    assert all(parse_flag(v) for v in ("1", "on", "true", "oui", " TRUE "))
    assert not any(parse_flag(v) for v in ("", "0", "non", "²"))
