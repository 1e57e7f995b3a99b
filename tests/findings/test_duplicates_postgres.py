"""Near-duplicate warning and trigram search on PostgreSQL (pg_trgm with Chinese). Runs in CI."""

import pytest
from django.conf import settings
from django.db import connection

from findings import selectors
from findings.models import Finding

from .factories import FindingFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="需要 PostgreSQL（pg_trgm）"),
]

EXISTING = [
    ("机关食堂违规公款吃喝", "2025年3月至6月，该局以工作餐名义在机关食堂公款宴请12次，金额共计1.86万元。"),
    ("违规发放津贴补贴", "经查，该局2024年以来违规向在职人员发放加班补贴、交通补贴共计8.6万元。"),
    ("白条入账问题", "该局2025年共有白条入账23笔，金额4.2万元。"),
    ("党费收缴不规范", "2名党员长期未按规定标准交纳党费。"),
    ("干部人事档案出生日期认定不规范", "抽查干部档案20卷，其中5卷出生日期前后不一致未经认定。"),
]


@pytest.fixture
def existing(team_unit, member):
    return {title: FindingFactory(team_unit=team_unit, title=title, facts=facts, created_by=member) for title, facts in EXISTING}


@pytest.mark.parametrize(
    ("title", "facts", "expected_first"),
    [
        ("食堂违规吃喝", "", "机关食堂违规公款吃喝"),
        ("机关食堂违规公款吃喝问题", "", "机关食堂违规公款吃喝"),
        ("存在白条入账现象", "", "白条入账问题"),
        ("党费收缴使用管理不规范", "", "党费收缴不规范"),
        ("违规发放加班补贴和交通补贴", "", "违规发放津贴补贴"),
        # Only the facts match: a differently worded title of the same problem.
        ("以工作餐名义接待", "该局2025年上半年在机关食堂以工作餐名义宴请12次，花费1.86万元", "机关食堂违规公款吃喝"),
    ],
)
def test_duplicates_are_found_with_chinese_thresholds(existing, member, team_unit, title, facts, expected_first):
    found = selectors.near_duplicates(member, unit_id=team_unit.unit_id, title=title, facts=facts)
    assert found, f"{title} 未识别为重复"
    assert found[0].finding.title == expected_first
    assert 0 < found[0].similarity <= 1


@pytest.mark.parametrize(
    ("title", "facts"),
    [
        ("违规收受礼品礼金", "春节期间收受管理服务对象购物卡3张。"),
        ("三会一课不规范", "支部委员会会议记录缺失，党员大会每季度未召开。"),
        ("私车公养问题突出", ""),
    ],
)
def test_unrelated_problems_are_not_flagged(existing, member, team_unit, title, facts):
    assert selectors.near_duplicates(member, unit_id=team_unit.unit_id, title=title, facts=facts) == []


def test_other_units_findings_are_not_compared(existing, member, other_team_unit):
    assert selectors.near_duplicates(member, unit_id=other_team_unit.unit_id, title="机关食堂违规公款吃喝") == []


def test_the_trigram_default_would_miss_them(db):
    """Why the thresholds are tuned: pg_trgm's default 0.3 similarity misses a plain Chinese duplicate."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity('机关食堂违规公款吃喝', '食堂违规吃喝'), show_limit()")
        score, default_limit = cursor.fetchone()
    assert score < default_limit
    assert score < selectors.PG_TITLE_THRESHOLD + 0.1


def test_search_uses_the_trigram_index_for_three_characters(existing):
    queryset = selectors.search(Finding.objects.all(), "公款吃喝")
    assert [f.title for f in queryset] == ["机关食堂违规公款吃喝"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Without ORDER BY: with a handful of rows the planner would otherwise walk the primary key.
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "finding_title_upper_trgm" in plan and "finding_facts_upper_trgm" in plan


def test_duplicates_api_on_postgres(client, existing, member, team_unit):
    client.force_login(member)
    response = client.get("/api/findings/duplicates/", {"unit": team_unit.unit_id, "title": "食堂违规吃喝"})
    assert response.status_code == 200
    assert response.json()[0]["title"] == "机关食堂违规公款吃喝"
