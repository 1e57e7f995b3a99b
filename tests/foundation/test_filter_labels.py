"""Every filter says 全部 for "any" and 是/否 for yes/no, never "---------" or 未知; every select is form-select."""

import pytest

from inspection.accounts.models import Role


@pytest.mark.parametrize("url", ["/findings/", "/rounds/", "/units/", "/referrals/leads/", "/rectification/tasks/",
                                 "/rectification/overview/", "/rectification/reports/"])
def test_filter_forms_say_all_and_yes_no(client, make_user, url):
    client.force_login(make_user(Role.OFFICE))
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    form = html[html.index('class="row g-2 align-items-end mb-3 filter-form"'):]
    form = form[: form.index("</form>")]
    assert "---------" not in form and "未知" not in form
    assert '<option value="" selected>全部</option>' in form or '<option value="">全部</option>' in form
    assert "<select" in form and form.count("<select") == form.count('class="form-select')


def test_the_yes_no_filter_offers_all_yes_no(client, make_user):
    client.force_login(make_user(Role.OFFICE))
    html = client.get("/findings/").content.decode()
    start = html.index('name="fixed_on_site"')
    select = html[start: html.index("</select>", start)]
    assert ">全部</option>" in select and ">是</option>" in select and ">否</option>" in select
    assert "未知" not in select


def test_the_yes_no_filter_still_filters(client, make_user):
    client.force_login(make_user(Role.OFFICE))
    assert client.get("/findings/", {"fixed_on_site": "true"}).status_code == 200
    assert client.get("/api/findings/", {"fixed_on_site": "false"}).status_code in (200, 401)


def test_a_select_without_a_class_is_a_form_select():
    from django import forms

    class Plain(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")])
        styled = forms.ChoiceField(choices=[("a", "甲")], widget=forms.Select(attrs={"class": "form-select-sm x"}))

    html = str(Plain())
    assert '<select name="kind" class="form-select"' in html
    assert 'class="form-select-sm x"' in html and html.count("class=") == 2
