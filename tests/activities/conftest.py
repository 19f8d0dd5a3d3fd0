"""Fixtures of the activity tests."""
import pytest

from tests.factories import UserFactory


@pytest.fixture
def organizer(as_user):
    """An organizer, signed in on the test client."""
    user = UserFactory()
    as_user(user)
    return user
