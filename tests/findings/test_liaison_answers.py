"""The unit liaison and the finding endpoints (issue 13 item 9): one right status code per endpoint.

The rule (`access.require`, `core.api.AccessPermission`): a record the user may not see is not there (404),
whatever is asked of it; 403 is for an action the user may not take on what they may see, and for a page or an
endpoint that names no record (a list, a create form, a search) their role may not use. A liaison sees no
finding, no attachment and no checklist node, ever; it sees its own unit and, after feedback, its round.
"""

import datetime

import pytest
from django.urls import get_resolver

from findings.models import FindingStatus
from inspection.accounts.models import Role
from rounds.models import Phase

from .factories import FindingFactory, TeamUnitFactory, manifestation, stored_attachment

REASON = {"reason": "依据组务会意见处理"}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(team_unit, other_team_unit, make_user, office_user):
    """The liaison's unit (team_unit) was fed back: the round is in rectification, its finding approved."""
    team_unit.round.phase = Phase.RECTIFICATION
    team_unit.round.save(update_fields=["phase"])
    finding = FindingFactory(
        team_unit=team_unit, status=FindingStatus.APPROVED,
        approved_at=datetime.datetime(2026, 10, 20, tzinfo=datetime.UTC),
    )
    attachment = stored_attachment(finding, office_user)
    liaison = make_user(Role.UNIT_LIAISON, unit=team_unit.unit)
    return {
        "f": finding.pk, "a": attachment.pk, "c": manifestation("3.3.1").pk, "round": team_unit.round_id,
        "unit": team_unit.unit_id, "other_unit": other_team_unit.unit_id, "liaison": liaison,
        "foreign_unit": TeamUnitFactory().unit_id,
    }


# (method, URL pattern, data, the one right code). A pattern's {names} come from `world`.
PAGES = [
    ("get", "/findings/", None, 403),
    ("get", "/findings/filter-options/rounds/", None, 403),
    ("get", "/findings/filter-options/teams/?round={round}", None, 403),
    ("get", "/findings/new/", None, 403),
    ("post", "/findings/new/", {"title": "新问题"}, 403),
    ("get", "/findings/duplicates/?title=食堂", None, 403),
    ("post", "/findings/batch/approve/", {"ids": "{f}", "meeting_name": "会议"}, 403),
    ("post", "/findings/batch/office-review/", {"ids": "{f}"}, 403),
    ("get", "/findings/{f}/", None, 404),
    ("get", "/findings/{f}/edit/", None, 404),
    ("post", "/findings/{f}/edit/", {"title": "改名"}, 404),
    ("post", "/findings/{f}/transition/", {"verb": "withdraw", **REASON}, 404),
    ("post", "/findings/{f}/attachments/", {}, 404),
    ("post", "/findings/{f}/hearings/", {}, 404),
    ("post", "/findings/{f}/opinions/", {}, 404),
    ("get", "/findings/attachments/{a}/download/", None, 404),
    # The report of a round and unit the liaison sees (its own, after feedback) is refused; of any other, absent.
    ("get", "/findings/report/{round}/{unit}/", None, 403),
    ("get", "/findings/report/{round}/{other_unit}/", None, 404),
    ("get", "/findings/report/{round}/{foreign_unit}/", None, 404),
    ("get", "/findings/categories/", None, 403),
    ("post", "/findings/categories/new/", {"name": "新分类"}, 403),
    ("get", "/findings/categories/export/", None, 403),
    ("post", "/findings/categories/new/", {"name": "新分类", "parent": "{c}"}, 403),
    ("get", "/findings/categories/{c}/", None, 404),
    ("post", "/findings/categories/{c}/", {"name": "改名"}, 404),
]
API = [
    ("get", "/api/findings/", None, 403),
    ("post", "/api/findings/", {"title": "新问题"}, 403),
    ("get", "/api/findings/duplicates/?unit={unit}&title=食堂", None, 403),
    ("post", "/api/findings/batch-approve/", {"ids": [], "meeting_name": "会议"}, 403),
    ("post", "/api/findings/batch-office-review/", {"ids": []}, 403),
    ("get", "/api/findings/{f}/", None, 404),
    ("put", "/api/findings/{f}/", {"title": "改名"}, 404),
    ("patch", "/api/findings/{f}/", {"title": "改名"}, 404),
    ("post", "/api/findings/{f}/submit/", {}, 404),
    ("post", "/api/findings/{f}/leader-approve/", {}, 404),
    ("post", "/api/findings/{f}/return/", REASON, 404),
    ("post", "/api/findings/{f}/office-review/", {}, 404),
    ("post", "/api/findings/{f}/approve/", {}, 404),
    ("post", "/api/findings/{f}/withdraw/", REASON, 404),
    ("post", "/api/findings/{f}/amend/", {"title": "改名", **REASON}, 404),
    ("post", "/api/findings/{f}/attachments/", {}, 404),
    ("post", "/api/findings/{f}/hearings/", {}, 404),
    ("post", "/api/findings/{f}/opinions/", {}, 404),
    ("get", "/api/finding-attachments/{a}/", None, 404),
    ("get", "/api/finding-attachments/{a}/download/", None, 404),
    ("get", "/api/finding-categories/", None, 403),
    ("post", "/api/finding-categories/", {"name": "新分类"}, 403),
    ("get", "/api/finding-categories/{c}/", None, 404),
    ("patch", "/api/finding-categories/{c}/", {"name": "改名"}, 404),
]


@pytest.mark.parametrize(("method", "pattern", "data", "code"), PAGES + API,
                         ids=[f"{m} {p}" + (f" {sorted(d)}" if d else "") for m, p, d, _ in PAGES + API])
def test_the_liaison_gets_the_one_right_code(client, world, method, pattern, data, code):
    client.force_login(world["liaison"])
    url = pattern.format(**world)
    if data is not None:
        data = {key: value.format(**world) if isinstance(value, str) else value for key, value in data.items()}
    if method == "get":
        response = client.get(url)
    elif pattern.startswith("/api/"):
        response = getattr(client, method)(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    assert response.status_code == code


def findings_routes(patterns, prefix=""):
    """(route, url name) of every view of the findings app, pages and API (format-suffix twins left out)."""
    for entry in patterns:
        if hasattr(entry, "url_patterns"):
            yield from findings_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif entry.callback.__module__.startswith("findings.") and "<format>" not in prefix + str(entry.pattern):
            yield prefix + str(entry.pattern), entry.name


def test_every_finding_endpoint_is_walked():
    """A new URL of the findings app must join the walk above."""
    resolver = get_resolver()
    ids = dict.fromkeys(("f", "a", "c", "round", "unit", "other_unit", "foreign_unit"), 1)
    walked = {resolver.resolve(pattern.split("?")[0].format(**ids)).url_name for _, pattern, _, _ in PAGES + API}
    names = {name for _, name in findings_routes(resolver.url_patterns)}
    assert len(names) > 20
    assert names - walked == set()
