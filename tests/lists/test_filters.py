"""Filter forms that never list an unbounded number of choices: the unit is typed (an autocomplete scoped to what
the user may see), a superuser's rounds are the most recent ones or the chosen office's, teams those of the chosen
round. Bad filter values are Chinese form errors that keep the other filters."""

import pytest
from django.urls import reverse

from findings.filters import RECENT_ROUNDS
from inspection.accounts.models import Role
from tests.factories import JurisdictionFactory, UnitFactory, UserFactory
from tests.findings.factories import FindingFactory, RoundFactory, TeamFactory, TeamUnitFactory, team_user

pytestmark = pytest.mark.django_db


def _names(response):
    return [row["label"] for row in response.json()["results"]]


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", role="", is_superuser=True, is_staff=True, jurisdiction=None))
    return client


# --- the unit autocomplete ---------------------------------------------------------------------------------

def test_autocomplete_lists_only_the_offices_own_units(office_client, jurisdiction, other_jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="清河县财政局")
    UnitFactory(jurisdiction=jurisdiction, name="清河县教育局")
    UnitFactory(jurisdiction=other_jurisdiction, name="柳林县财政局")
    url = reverse("units:unit_autocomplete")
    assert _names(office_client.get(url, {"q": "财政"})) == ["清河县财政局"]
    # Empty text: the first units by name, like the old dropdown, never another county's.
    assert set(_names(office_client.get(url))) == {"清河县教育局", "清河县财政局"}
    assert _names(office_client.get(url, {"q": "柳林"})) == []
    assert _names(office_client.get(url, {"q": "财政", "jurisdiction": other_jurisdiction.pk})) == []


def test_autocomplete_of_a_team_member_lists_only_the_teams_units(client, jurisdiction):
    mine = TeamUnitFactory(team__round__jurisdiction=jurisdiction, unit__name="清河县财政局")
    TeamUnitFactory(team__round=mine.round, unit__name="清河县审计局")
    UnitFactory(jurisdiction=jurisdiction, name="清河县统计局")
    client.force_login(team_user(mine.team, Role.TEAM_MEMBER, username="m1"))
    url = reverse("units:unit_autocomplete")
    assert _names(client.get(url, {"q": "局"})) == ["清河县财政局"]
    assert _names(client.get(url, {"q": "审计"})) == []


def test_autocomplete_returns_at_most_20_names_starting_with_the_text_first(office_client, jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="县委办公室财政股")
    for n in range(25):
        UnitFactory(jurisdiction=jurisdiction, name=f"财政所{n:02d}")
    names = _names(office_client.get(reverse("units:unit_autocomplete"), {"q": "财政"}))
    assert len(names) == 20 and names[0] == "财政所00" and "县委办公室财政股" not in names


def test_autocomplete_for_a_superuser_names_the_office_and_needs_text(superuser_client, jurisdiction,
                                                                      other_jurisdiction):
    UnitFactory(jurisdiction=jurisdiction, name="财政局")
    UnitFactory(jurisdiction=other_jurisdiction, name="财政局")
    url = reverse("units:unit_autocomplete")
    assert _names(superuser_client.get(url)) == []
    assert sorted(_names(superuser_client.get(url, {"q": "财政"}))) == ["财政局（柳林县）", "财政局（清河县）"]
    assert _names(superuser_client.get(url, {"jurisdiction": other_jurisdiction.pk})) == ["财政局（柳林县）"]


@pytest.mark.parametrize("params", [{"jurisdiction": "abc"}, {"jurisdiction": "9" * 30}, {"q": "x" * 500}])
def test_autocomplete_bad_params_are_no_error(office_client, params):
    response = office_client.get(reverse("units:unit_autocomplete"), params)
    assert response.status_code == 200 and response.json()["results"] == []


def test_autocomplete_needs_login(client):
    assert client.get(reverse("units:unit_autocomplete")).status_code == 302


# --- the findings filter form --------------------------------------------------------------------------------

def test_findings_form_types_the_unit_and_keeps_its_name(office_client, jurisdiction):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction, unit__name="清河县财政局")
    other = TeamUnitFactory(team__round=team_unit.round, unit__name="清河县教育局")
    FindingFactory(team_unit=team_unit, title="财政问题")
    FindingFactory(team_unit=other, title="教育问题")
    page = office_client.get(reverse("findings:finding_list")).content.decode()
    form = page.split("filter-form")[1].split("</form>")[0]
    assert "清河县财政局" not in form and "清河县教育局" not in form  # units are never listed as options
    assert 'data-autocomplete-src="{}"'.format(reverse("units:unit_autocomplete")) in page
    response = office_client.get(reverse("findings:finding_list"), {"unit": team_unit.unit.pk})
    assert [f.title for f in response.context["object_list"]] == ["财政问题"]
    page = response.content.decode()
    assert 'value="清河县财政局"' in page and f'name="unit" value="{team_unit.unit.pk}"' in page


@pytest.mark.parametrize("bad", ["abc", "999999", "9" * 40])
def test_bad_unit_is_a_chinese_error_and_keeps_the_other_filters(office_client, jurisdiction, bad):
    team_unit = TeamUnitFactory(team__round__jurisdiction=jurisdiction)
    FindingFactory(team_unit=team_unit, title="草稿问题")
    FindingFactory(team_unit=team_unit, title="已提交问题", status="submitted")
    response = office_client.get(reverse("findings:finding_list"), {"unit": bad, "status": "submitted"})
    assert response.status_code == 200
    assert [f.title for f in response.context["object_list"]] == ["已提交问题"]
    page = response.content.decode()
    assert "filter-error" in page and "选择一个有效的选项" in page


def test_another_countys_unit_is_refused(office_client, jurisdiction, other_jurisdiction):
    elsewhere = TeamUnitFactory(team__round__jurisdiction=other_jurisdiction)
    FindingFactory(team_unit=elsewhere)
    response = office_client.get(reverse("findings:finding_list"), {"unit": elsewhere.unit.pk})
    assert response.status_code == 200 and list(response.context["object_list"]) == []
    assert "filter-error" in response.content.decode()


def test_teams_are_listed_for_the_chosen_round_only(office_client, jurisdiction):
    first = TeamFactory(round=RoundFactory(jurisdiction=jurisdiction), name="一轮第一组")
    second = TeamFactory(round=RoundFactory(jurisdiction=jurisdiction, plan=first.round.plan), name="二轮第一组")
    url = reverse("findings:finding_list")
    page = office_client.get(url).content.decode()
    assert "一轮第一组" not in page and "二轮第一组" not in page and "先选轮次" in page
    page = office_client.get(url, {"round": first.round.pk}).content.decode()
    assert "一轮第一组" in page and "二轮第一组" not in page
    # The round select reloads the team select with htmx from this endpoint.
    options = office_client.get(reverse("findings:team_options"), {"round": second.round.pk}).content.decode()
    assert "二轮第一组" in options and "一轮第一组" not in options
    # A team asked for without its round (a dashboard link) stays selected.
    page = office_client.get(url, {"team": second.pk}).content.decode()
    assert f'<option value="{second.pk}" selected>' in page


def test_team_options_do_not_leak_another_countys_teams(office_client, other_jurisdiction):
    team = TeamFactory(round=RoundFactory(jurisdiction=other_jurisdiction), name="外县巡察组")
    options = office_client.get(reverse("findings:team_options"), {"round": team.round.pk}).content.decode()
    assert "外县巡察组" not in options


def test_superuser_lists_recent_rounds_or_the_chosen_offices(superuser_client, db):
    offices = [JurisdictionFactory(name=f"第{n}县") for n in range(3)]
    rounds = [RoundFactory(jurisdiction=offices[n % 3]) for n in range(RECENT_ROUNDS + 6)]
    form = superuser_client.get(reverse("findings:finding_list")).context["filter"].form
    listed = [value for value, _ in form.fields["round"].widget.choices if value != ""]
    assert len(listed) == RECENT_ROUNDS
    assert "jurisdiction" in form.fields
    chosen = superuser_client.get(reverse("findings:finding_list"), {"jurisdiction": offices[1].pk})
    listed = {int(str(v)) for v, _ in chosen.context["filter"].form.fields["round"].widget.choices if v != ""}
    assert listed == {r.pk for r in rounds if r.jurisdiction_id == offices[1].pk}
    options = superuser_client.get(reverse("findings:round_options"), {"jurisdiction": offices[2].pk})
    assert options.content.decode().count("<option") == 1 + sum(r.jurisdiction_id == offices[2].pk for r in rounds)


def test_office_form_has_no_jurisdiction_choice(office_client):
    form = office_client.get(reverse("findings:finding_list")).context["filter"].form
    assert "jurisdiction" not in form.fields


@pytest.mark.parametrize("rows", [1, 30])
def test_superuser_findings_page_queries_do_not_grow(superuser_client, rows, django_assert_max_num_queries):
    for n in range(rows):
        RoundFactory(jurisdiction=JurisdictionFactory(name=f"县{n}"))
    with django_assert_max_num_queries(16):
        assert superuser_client.get(reverse("findings:finding_list")).status_code == 200


# --- the tasks filter form ---------------------------------------------------------------------------------

def test_tasks_form_types_the_unit(office_client, jurisdiction):
    UnitFactory.create_batch(5, jurisdiction=jurisdiction)
    page = office_client.get(reverse("rectification:task_list")).content.decode()
    assert 'data-autocomplete-src="{}"'.format(reverse("units:unit_autocomplete")) in page
    response = office_client.get(reverse("rectification:task_list"), {"unit": "abc", "status": "in_progress"})
    assert response.status_code == 200 and "filter-error" in response.content.decode()
