"""API answers that were wrong (issue 13 item 9): forged cursors, ordering ties. The Chinese status label of every
serializer that has one: tests/security/test_status_labels.py."""

import base64
from urllib.parse import urlencode

from .factories import FindingFactory


def forged(position: str) -> str:
    """A cursor as DRF encodes one (base64 of a query string), holding what the client chose to put there."""
    return base64.b64encode(urlencode({"o": "0", "p": position}).encode()).decode()


def test_a_forged_cursor_is_a_400_with_a_chinese_message(client, office_user, team_unit):
    FindingFactory(team_unit=team_unit)
    client.force_login(office_user)
    for cursor in (forged("2026-01-01"), forged("abc")):
        response = client.get("/api/findings/", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert response.json() == {"cursor": ["翻页参数（cursor）无效，请从列表第一页重新查询"]}


def test_ordering_on_a_non_unique_key_pages_every_row_once(client, office_user, team_unit):
    ids = {FindingFactory(team_unit=team_unit, title="同名问题").pk for _ in range(7)}
    client.force_login(office_user)
    seen, url = [], "/api/findings/?ordering=title&page_size=3"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(ids)
