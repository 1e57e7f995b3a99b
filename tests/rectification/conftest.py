import pytest

from inspection.accounts.models import Role
from tests.worker import celery_worker_process  # noqa: F401 - the real-worker fixture for @pytest.mark.worker


@pytest.fixture
def liaison(make_user):
    """A unit liaison of a unit of its own (test files that need another one define their own fixture)."""
    return make_user(Role.UNIT_LIAISON)


@pytest.fixture
def office(make_user):
    return make_user(Role.OFFICE)
