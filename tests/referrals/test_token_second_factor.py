"""Regression (issue 15 item 7): a discipline-commission user listed leads with an API token and no second
factor, because the two-factor middleware runs before DRF reads the token."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.accounts import tokens
from inspection.core.exceptions import DomainError
from tests.factories import issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.OTP_ENFORCED = True


@pytest.fixture
def sent_lead(make_lead, refer, discipline_body):
    return refer(discipline_body, make_lead(subject_name="纪某")).leads.get()


def test_a_token_cannot_be_had_without_the_second_factor(discipline_user):
    # The old way in (a token made for the user, no second factor) no longer exists: the service refuses.
    with pytest.raises(DomainError) as refused:
        tokens.api_token_issue(user=discipline_user, name="案件系统对接")
    assert refused.value.message == "签发 API 令牌前需先在本次登录中完成二次验证（动态口令）"
    assert not discipline_user.api_tokens.exists()


def test_a_token_issued_after_the_second_factor_lists_the_leads(client, discipline_user, sent_lead):
    secret = issue_api_token(discipline_user)
    response = client.get("/api/referrals/leads/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [sent_lead.pk]


def test_a_token_whose_owner_has_no_confirmed_device_is_refused(client, discipline_user, sent_lead):
    secret = issue_api_token(discipline_user)
    # The second factor is reset (the authenticator removed or not confirmed): the token has none behind it.
    TOTPDevice.objects.filter(user=discipline_user).update(confirmed=False)
    response = client.get("/api/referrals/leads/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 401
    assert response.json() == {"detail": "该令牌签发时使用的二次验证设备已失效，请重新绑定身份验证器并重新签发令牌。"}
    TOTPDevice.objects.filter(user=discipline_user).delete()
    assert client.get("/api/referrals/leads/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 401
