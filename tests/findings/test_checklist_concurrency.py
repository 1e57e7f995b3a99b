"""Two people creating a root category at once (issue 13 item 8): two real transactions in two threads on
PostgreSQL, through the API, the bad interleaving forced by `tests/rounds/concurrency.py` `Race` (the first side
held, its transaction open, right after numbering). Never an IntegrityError 500: the second gets the next code, or
a Chinese 400 naming the field. The same path walked step by step on any database:
`test_checklist.test_a_code_taken_in_between_is_a_chinese_error_not_an_integrity_error`."""

import pytest
from django.conf import settings
from django.test import Client

from findings import services
from findings.models import Category
from inspection.accounts.models import Role
from tests.rounds.concurrency import Race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="两个并发事务须在 PostgreSQL 上验证"),
    # serialized_rollback: the flush after the test would wipe the checklist the data migration seeded.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def two_office_users(make_user):
    # The default areas the lock holds (a reused test database that an older run flushed may have lost them).
    for code, name in (("1", "党的领导弱化"), ("2", "党的建设缺失"), ("3", "全面从严治党不力")):
        Category.objects.get_or_create(code=code, owner=None, defaults={"level": 1, "name": name, "order": int(code)})
    return make_user(Role.OFFICE, username="office1"), make_user(Role.OFFICE, username="office2")


def posting(user, name):
    """One side: an office user posts a new area through the API, in its own thread and transaction."""

    def post():
        client = Client()
        client.force_login(user)
        response = client.post("/api/finding-categories/", {"name": name}, content_type="application/json")
        return response.status_code, response.json()

    return post


def held_numbering(monkeypatch) -> Race:
    race = Race()
    monkeypatch.setattr(services, "_next_number", race.hold(services._next_number))
    return race


def test_two_roots_at_once_get_two_codes(monkeypatch, two_office_users, jurisdiction):
    race = held_numbering(monkeypatch)
    zhang, li = two_office_users
    first, second = race.run(posting(zhang, "巡察整改专项"), posting(li, "基层治理专项"))
    assert race.second_was == "blocked"  # the second waited on the default areas' lock until the first committed
    assert (first.error, second.error) == (None, None)
    assert (first.result[0], first.result[1]["code"]) == (201, "4")
    assert (second.result[0], second.result[1]["code"]) == (201, "5")
    assert list(Category.objects.filter(owner=jurisdiction).order_by("code").values_list("code", "name")) == [
        ("4", "巡察整改专项"), ("5", "基层治理专项")
    ]


def test_the_same_root_twice_at_once_is_one_root_and_one_chinese_400(monkeypatch, two_office_users, jurisdiction):
    race = held_numbering(monkeypatch)
    zhang, li = two_office_users
    first, second = race.run(posting(zhang, "巡察整改专项"), posting(li, "巡察整改专项"))
    assert race.second_was == "blocked"
    assert (first.result[0], first.result[1]["code"]) == (201, "4")
    assert second.result == (400, {"name": ["同一上级下已有同名分类"]})
    assert list(Category.objects.filter(owner=jurisdiction).values_list("code", "name")) == [("4", "巡察整改专项")]


def test_without_the_lock_the_constraint_still_answers_in_chinese(monkeypatch, two_office_users, jurisdiction):
    """The per-owner unique constraint is the backstop: with the lock gone both sides number "4"; the second
    insert fails on the first's committed row and the service turns that into a 400."""
    monkeypatch.setattr(services, "_lock_default_roots", lambda: None)
    race = held_numbering(monkeypatch)
    zhang, li = two_office_users
    first, second = race.run(posting(zhang, "巡察整改专项"), posting(li, "基层治理专项"))
    assert race.second_was == "arrived"  # both numbered before either wrote: only the constraint can decide
    assert (first.result[0], first.result[1]["code"]) == (201, "4")
    assert second.result == (400, {"name": ["编号 4 刚被他人占用，请重新提交"]})
    assert list(Category.objects.filter(owner=jurisdiction).values_list("code", "name")) == [("4", "巡察整改专项")]
