"""Two people creating a root category at once (issue 13 item 8): real transactions in two threads on
PostgreSQL, through the API. Never an IntegrityError 500: the second either gets the next code or a Chinese
400 naming the field."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from findings import services
from findings.models import Category
from inspection.accounts.models import Role

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="需要 PostgreSQL（两个并发事务）"),
    # Real commits from two connections: the test database is flushed afterwards and the seeded checklist restored.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# How long each request holds its transaction open after numbering: long enough for the other to arrive.
HOLD = 0.4


@pytest.fixture
def slow_numbering(monkeypatch):
    """Each request reads its siblings, then waits before inserting: two unserialized requests would both
    number "4"."""
    numbered = services._next_number

    def slow(codes):
        number = numbered(codes)
        time.sleep(HOLD)
        return number

    monkeypatch.setattr(services, "_next_number", slow)


def post_together(users, names):
    """POST /api/finding-categories/ for each (user, name) at the same moment, each in its own thread (own
    connection, own transaction). Returns [(status, body)] in the order given."""
    barrier = threading.Barrier(len(users))
    results = [None] * len(users)

    def run(index, user, name):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post("/api/finding-categories/", {"name": name}, content_type="application/json")
            results[index] = (response.status_code, response.json())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, u, n)) for i, (u, n) in enumerate(zip(users, names, strict=True))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def two_office_users(make_user):
    # The three default areas the lock holds (seeded by the migration; a reused test database that a previous
    # transactional run flushed may have lost them).
    for code, name in (("1", "党的领导弱化"), ("2", "党的建设缺失"), ("3", "全面从严治党不力")):
        Category.objects.get_or_create(code=code, owner=None, defaults={"level": 1, "name": name, "order": int(code)})
    return make_user(Role.OFFICE, username="office1"), make_user(Role.OFFICE, username="office2")


def test_two_roots_at_once_get_two_codes(two_office_users, jurisdiction, slow_numbering):
    results = post_together(two_office_users, ["巡察整改专项", "基层治理专项"])
    assert sorted(status for status, _ in results) == [201, 201]
    assert sorted(body["code"] for _, body in results) == ["4", "5"]
    assert sorted(Category.objects.filter(owner=jurisdiction).values_list("code", flat=True)) == ["4", "5"]


def test_the_same_root_twice_at_once_is_one_root_and_one_chinese_400(two_office_users, jurisdiction, slow_numbering):
    created, refused = sorted(post_together(two_office_users, ["巡察整改专项", "巡察整改专项"]), key=lambda r: r[0])
    assert (created[0], created[1]["code"]) == (201, "4")
    assert refused == (400, {"name": ["同一上级下已有同名分类"]})
    assert list(Category.objects.filter(owner=jurisdiction).values_list("code", "name")) == [("4", "巡察整改专项")]


def test_without_the_lock_the_constraint_still_answers_in_chinese(
    two_office_users, jurisdiction, slow_numbering, monkeypatch
):
    """The per-owner unique constraint is the backstop: with the lock gone, both requests number "4"; the
    second insert waits on the first and fails, and the service turns that into a 400."""
    monkeypatch.setattr(services, "_lock_default_roots", lambda: None)
    results = post_together(two_office_users, ["巡察整改专项", "基层治理专项"])
    assert sorted(status for status, _ in results) == [201, 400]
    assert [body for status, body in results if status == 400] == [{"name": ["编号 4 刚被他人占用，请重新提交"]}]
    assert Category.objects.filter(owner=jurisdiction).count() == 1
