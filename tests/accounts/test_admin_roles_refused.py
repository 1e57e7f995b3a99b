"""三员分立: the three administrators read no business record. Each gets the project's refusal (404 for a
record it may not know exists, 403 for a list or a page that names no record), and no permission table
grants an administrator role anything."""

import pytest
from django.urls import reverse

from inspection.accounts import roles
from inspection.accounts.models import Role
from inspection.core import access
from tests.referrals.factories import FindingFactory, LeadFactory, PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db

ADMIN_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]


@pytest.fixture
def records(jurisdiction):
    team = TeamFactory(round=RoundFactory(plan__jurisdiction=jurisdiction))
    return {
        "petition": PetitionFactory(team=team),
        "finding": FindingFactory(team=team),
        "lead": LeadFactory(round=team.round),
    }


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_administrator_is_refused_business_records(client, make_user, records, role):
    client.force_login(make_user(role, username=f"admin-{role}", phone="13900000000"))
    petition = client.get(reverse("rounds:petition_detail", args=[records["petition"].pk]))
    finding = client.get(reverse("findings:finding_detail", args=[records["finding"].pk]))
    lead = client.get(reverse("referrals:lead_detail", args=[records["lead"].pk]))
    lead_list = client.get(reverse("referrals:lead_list"))
    figures = client.get(reverse("dashboard:figures"))
    assert (petition.status_code, finding.status_code, lead.status_code) == (404, 404, 404)
    assert lead_list.status_code == 403
    assert "您无权访问此页面" in lead_list.content.decode()
    assert figures.status_code == 403
    assert "您无权查看统计分析" in figures.content.decode()


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_administrator_api_lists_no_business_record(make_user, records, role):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user(role, username=f"api-{role}", phone="13900000001"))
    assert api.get(f"/api/leads/{records['lead'].pk}/").status_code == 404
    assert api.get(f"/api/findings/{records['finding'].pk}/").status_code == 404


def test_no_business_policy_grants_an_administrator_role():
    """Every registered policy of a business model: no action lists an administrator role. The account policies
    (accounts, grants, API tokens) and the audit (read by the audit administrator only) are the only ones that name
    them; the reference data an integration names (jurisdictions, receiving bodies) is readable by the system
    administrator beside the business roles, and nothing else."""
    account_models = {"accounts.user", "accounts.rolegrant", "accounts.apitoken", "audit.auditevent"}
    reference_models = {"accounts.jurisdiction", "accounts.receivingbody"}
    for model, policy in access._policies.items():
        granted = set().union(*policy.permissions.values()) if policy.permissions else set()
        if model._meta.label_lower in account_models:
            assert granted <= roles.ADMINISTRATORS, model
        elif model._meta.label_lower in reference_models:
            assert set(policy.permissions) == {"view"} and granted & roles.ADMINISTRATORS == {Role.SYSTEM_ADMIN}, model
        else:
            assert not granted & roles.ADMINISTRATORS, f"{model._meta.label} grants {granted & roles.ADMINISTRATORS}"


def test_business_role_groups_leave_the_administrators_out():
    assert roles.ADMINISTRATORS == {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
    assert not roles.ALL & roles.ADMINISTRATORS
    assert roles.ALL | roles.ADMINISTRATORS == set(Role.values)
