"""The admin opens for every foundation model, deletes nothing, keeps the read log read-only, keeps unit rules."""

import pytest
from django.contrib import admin
from django.urls import reverse

from inspection.accounts.models import Jurisdiction, Notification, ReceivingBody, User
from inspection.audit.models import ReadLog
from inspection.units.models import Cadre, RecusalFactor, Specialty, Unit, UnitKind
from tests.factories import CadreFactory, RecusalFactorFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = [Unit, Cadre, RecusalFactor, Specialty, User, Jurisdiction, ReceivingBody, Notification, ReadLog]


@pytest.fixture
def admin_client(client, jurisdiction):
    client.force_login(UserFactory(username="admin", role="", is_superuser=True, is_staff=True, jurisdiction=jurisdiction))
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_opens_and_nothing_can_be_deleted(admin_client, jurisdiction, model):
    RecusalFactorFactory(cadre=CadreFactory(jurisdiction=jurisdiction), unit=UnitFactory(jurisdiction=jurisdiction))
    ReadLog.objects.create(user=User.objects.get(username="admin"), action="view", object_type="rounds.petition")
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    model_admin = admin.site._registry[model]
    assert not model_admin.has_delete_permission(response.wsgi_request)


def test_read_log_is_read_only(admin_client):
    log = ReadLog.objects.create(user=User.objects.get(username="admin"), action="view", object_type="rounds.petition")
    model_admin = admin.site._registry[ReadLog]
    request = admin_client.get(reverse("admin:audit_readlog_changelist")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, log)
    assert admin_client.get(reverse("admin:audit_readlog_add")).status_code == 403


def test_unit_history_page_in_admin(admin_client, jurisdiction):
    unit = UnitFactory(jurisdiction=jurisdiction)
    assert admin_client.get(reverse("admin:units_unit_history", args=[unit.pk])).status_code == 200


def test_admin_refuses_a_parent_cycle(admin_client, jurisdiction):
    town = UnitFactory(jurisdiction=jurisdiction, name="城关镇", kind=UnitKind.TOWNSHIP)
    village = UnitFactory(jurisdiction=jurisdiction, name="东关社区", kind=UnitKind.VILLAGE, parent=town)
    response = admin_client.post(
        reverse("admin:units_unit_change", args=[town.pk]),
        {
            "jurisdiction": jurisdiction.pk,
            "name": "城关镇",
            "kind": UnitKind.TOWNSHIP,
            "parent": village.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "会形成循环" in response.content.decode()
    town.refresh_from_db()
    assert town.parent is None


def test_user_admin_shows_role_fields(admin_client, make_user):
    user = make_user("discipline", username="jiwei")
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    assert 'name="role"' in page and 'name="receiving_body"' in page and 'name="unit"' in page
