"""剩余信息保护 (issue 15 item 6): what a signed-in user is shown is never stored by a browser or proxy."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from inspection.accounts.models import Role
from inspection.core.middleware import NoStoreMiddleware
from tests.factories import issue_api_token
from tests.referrals.factories import PetitionFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_petition_detail_page_is_no_store(office_client, jurisdiction):
    petition = PetitionFactory(team=TeamFactory(round__plan__jurisdiction=jurisdiction))
    response = office_client.get(reverse("rounds:petition_detail", args=[petition.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_an_api_list_is_no_store_with_a_session_and_with_a_token(client, office_client, make_user):
    assert office_client.get("/api/units/")["Cache-Control"] == "no-store, private"
    secret = issue_api_token(make_user(Role.OFFICE))
    response = client.__class__().get("/api/units/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert (response.status_code, response["Cache-Control"]) == (200, "no-store, private")


def test_static_files_keep_their_caching(rf, office_user):
    # WhiteNoise answers static files before the middleware in production; under STATIC_URL it leaves them too.
    def cached(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "max-age=31536000, public"
        return response

    for path, expected in (("/static/js/xuncha.js", "max-age=31536000, public"), ("/rounds/", "no-store, private")):
        request = rf.get(path)
        request.user = office_user
        assert NoStoreMiddleware(cached)(request)["Cache-Control"] == expected
