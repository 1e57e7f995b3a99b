"""Personal data encrypted at rest with SM4 (issue 15 item 5): no plain text in any encrypted column (historical
tables included), round trip, blind-index search, tamper detection, key rotation, and masking everywhere a list,
an API list or a ledger shows the data; the whole value only on a detail page, as a logged read."""

import base64
import io

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook
from rest_framework.test import APIClient

from inspection.accounts.models import User
from inspection.audit.models import ReadLog
from inspection.core import crypto, masking
from inspection.core.fields import (
    blind_index,
    decrypt_stored,
    encrypt_stored,
    encrypted_fields,
    is_ciphertext,
    matches,
    rewrite,
)
from inspection.units.models import Cadre
from referrals.models import Lead
from rounds.models import Petition
from tests.factories import CadreFactory
from tests.referrals.factories import LeadFactory, PetitionFactory, RoundFactory, TeamFactory

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199003071237"
PHONE = "13812345678"
CONTACT = "13900001111"
PETITIONER = "欧阳明远"
SUBJECT = "司马建国"
LEAD_SUBJECT = "诸葛国栋"

# Every encrypted column of the schema, historical tables included. A new encrypted field must be added here
# (and to the records `_everything` makes), or the first test fails.
ENCRYPTED = {
    ("accounts_user", "phone"),
    ("units_cadre", "phone"), ("units_cadre", "id_number"),
    ("units_historicalcadre", "phone"), ("units_historicalcadre", "id_number"),
    ("rounds_petition", "petitioner_name"), ("rounds_petition", "petitioner_contact"),
    ("rounds_petition", "subject_person"),
    ("rounds_historicalpetition", "petitioner_name"), ("rounds_historicalpetition", "petitioner_contact"),
    ("rounds_historicalpetition", "subject_person"),
    ("referrals_lead", "subject_name"), ("referrals_historicallead", "subject_name"),
}


@pytest.fixture
def records(jurisdiction, office_user):
    office_user.phone = PHONE
    office_user.save()
    cadre = CadreFactory(jurisdiction=jurisdiction, name="赵一鸣", phone=PHONE, id_number=ID_NUMBER)
    round_ = RoundFactory(plan__jurisdiction=jurisdiction)
    team = TeamFactory(round=round_)
    petition = PetitionFactory(team=team, is_anonymous=False, petitioner_name=PETITIONER,
                               petitioner_contact=CONTACT, subject_person=SUBJECT, created_by=office_user)
    lead = LeadFactory(round=round_, subject_name=LEAD_SUBJECT, created_by=office_user)
    return {"cadre": cadre, "petition": petition, "lead": lead, "round": round_, "user": office_user}


def _raw(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> %s', [""])
        return [row[0] for row in cursor.fetchall()]


def test_every_encrypted_column_holds_ciphertext_only(records):
    found = {(m._meta.db_table, f.column) for m in apps.get_models() for f in encrypted_fields(m)}
    assert found == ENCRYPTED
    plain = [PHONE, ID_NUMBER, CONTACT, PETITIONER, SUBJECT, LEAD_SUBJECT, "欧阳", "司马", "诸葛", "5678", "1237"]
    for table, column in sorted(ENCRYPTED):
        values = _raw(table, column)
        assert values, (table, column)
        for value in values:
            assert value.startswith("s4g1$"), (table, column, value)
            assert not any(text in value for text in plain), (table, column, value)
    # Two saves of one value give two ciphertexts (random IV per value).
    assert len(set(_raw("units_historicalcadre", "phone"))) == len(_raw("units_historicalcadre", "phone"))


def test_round_trip_and_lookups(records):
    cadre = Cadre.objects.get(pk=records["cadre"].pk)
    assert (cadre.phone, cadre.id_number) == (PHONE, ID_NUMBER)
    petition = Petition.objects.get(pk=records["petition"].pk)
    assert (petition.petitioner_name, petition.petitioner_contact, petition.subject_person) == (
        PETITIONER, CONTACT, SUBJECT)
    assert Lead.objects.values_list("subject_name", flat=True).get() == LEAD_SUBJECT
    assert User.objects.get(pk=records["user"].pk).phone == PHONE
    assert records["cadre"].history.first().phone == PHONE
    # A comparison the ciphertext cannot answer fails loudly instead of silently matching nothing.
    with pytest.raises(FieldError):
        list(Cadre.objects.filter(phone__icontains="138"))
    with pytest.raises(FieldError, match="盲索引"):
        list(Cadre.objects.filter(phone=PHONE))
    assert Petition.objects.filter(petitioner_name="").count() == 0


def test_blind_index_finds_exact_value_only(records):
    cadre, petition, lead = records["cadre"], records["petition"], records["lead"]
    assert list(Cadre.objects.filter(matches(Cadre, "phone", "138 1234 5678"))) == [cadre]
    assert list(Cadre.objects.filter(matches(Cadre, "id_number", ID_NUMBER.lower()[:-1] + "7"))) == [cadre]
    assert not Cadre.objects.filter(matches(Cadre, "phone", "13812345679")).exists()
    assert not Cadre.objects.filter(matches(Cadre, "phone", "")).exists()
    assert list(Petition.objects.filter(matches(Petition, "petitioner_contact", CONTACT))) == [petition]
    assert not Petition.objects.filter(matches(Petition, "petitioner_contact", "13900001112")).exists()
    assert list(Lead.objects.filter(matches(Lead, "subject_name", LEAD_SUBJECT))) == [lead]
    assert not Lead.objects.filter(matches(Lead, "subject_name", "诸葛")).exists()
    # The index is keyed: not the plain SM3 of the value, and different per kind.
    assert cadre.phone_index == blind_index(masking.PHONE, PHONE) != blind_index(masking.CONTACT, PHONE)
    assert len(cadre.phone_index) == 64 and PHONE not in cadre.phone_index


def test_cadre_search_page_and_api_find_by_whole_phone(records, office_client):
    response = office_client.get("/units/cadres/", {"q": PHONE})
    assert [c.pk for c in response.context["page_obj"]] == [records["cadre"].pk]
    assert list(office_client.get("/units/cadres/", {"q": "13812345670"}).context["page_obj"]) == []
    api = APIClient()
    api.force_authenticate(records["user"])
    assert [row["id"] for row in api.get("/api/cadres/", {"q": ID_NUMBER}).json()["results"]] == [records["cadre"].pk]


def test_a_modified_ciphertext_is_refused(records):
    stored = _raw("units_cadre", "phone")[0]
    header, payload = stored.rsplit("$", 1)
    raw = bytearray(base64.b64decode(payload))
    raw[14] ^= 0x01
    tampered = header + "$" + base64.b64encode(bytes(raw)).decode()
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "units_cadre" SET "phone" = %s WHERE "id" = %s', [tampered, records["cadre"].pk])
    with pytest.raises(crypto.DecryptionError, match="密文校验失败（已被篡改或密钥不符），拒绝读取"):
        Cadre.objects.get(pk=records["cadre"].pk)
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "units_cadre" SET "phone" = %s WHERE "id" = %s', ["s4g1$0000", records["cadre"].pk])
    with pytest.raises(crypto.DecryptionError, match="存储格式无法识别"):
        Cadre.objects.get(pk=records["cadre"].pk)


def test_migration_encrypts_plain_rows_and_back(records):
    """The data migrations' forward and backward steps (inspection.core.fields.encrypt_existing), on rows
    written in plain text as before the migration."""
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "units_cadre" SET "phone" = %s, "phone_index" = %s', [PHONE, ""])
    assert rewrite(connection, Cadre, encrypt_stored) == 1
    assert rewrite(connection, Cadre, encrypt_stored) == 1  # run again: kept as it is, index set again
    stored = _raw("units_cadre", "phone")[0]
    assert is_ciphertext(stored)
    assert Cadre.objects.filter(matches(Cadre, "phone", PHONE)).count() == 1
    rewrite(connection, Cadre, decrypt_stored)
    assert (_raw("units_cadre", "phone"), _raw("units_cadre", "id_number")) == ([PHONE], [ID_NUMBER])


def test_key_rotation_reencrypts_every_column(records, settings):
    old_key = settings.FIELD_KEY
    before = {(t, c): sorted(_raw(t, c)) for t, c in ENCRYPTED}
    new_key = "ab" * 32
    settings.FIELD_KEY, settings.FIELD_KEY_OLD = new_key, old_key
    crypto.reset()
    try:
        out = io.StringIO()
        call_command("rotate_field_key", stdout=out)
        assert "密钥轮换完成" in out.getvalue()
        after = {(t, c): sorted(_raw(t, c)) for t, c in ENCRYPTED}
        for column in ENCRYPTED:
            assert set(after[column]).isdisjoint(before[column]), column
        # Values stay, searchable under the new key.
        assert Cadre.objects.get(pk=records["cadre"].pk).id_number == ID_NUMBER
        assert Lead.objects.filter(matches(Lead, "subject_name", LEAD_SUBJECT)).count() == 1
        assert Petition.objects.get().petitioner_name == PETITIONER
        # Run again (a rotation interrupted and restarted): nothing is re-encrypted.
        call_command("rotate_field_key", stdout=io.StringIO())
        assert {(t, c): sorted(_raw(t, c)) for t, c in ENCRYPTED} == after
        # The old key alone no longer decrypts anything.
        old_only = crypto.SoftwareSM4Provider(crypto.parse_key(old_key))
        for values in after.values():
            for value in values:
                with pytest.raises(crypto.DecryptionError, match="不在当前配置中"):
                    old_only.decrypt(value.encode())
    finally:
        crypto.reset()


def test_rotation_refuses_without_the_old_key(settings):
    settings.FIELD_KEY_OLD = ""
    with pytest.raises(Exception, match="请将原密钥设为 XUNCHA_FIELD_KEY_OLD"):
        call_command("rotate_field_key")


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        (masking.ID_NUMBER, "110101199003071234", "110101********1234"),
        (masking.PHONE, "13812345678", "138****5678"),
        (masking.PHONE, "0571-88886666", "057******6666"),
        (masking.NAME, "欧阳明远", "欧***"),
        (masking.NAME, "王", "*"),
        (masking.CONTACT, "13900001111", "139****1111"),
        (masking.CONTACT, "清河县东大街12号", "清河****"),
        (masking.PHONE, "", ""),
    ],
)
def test_one_mask_per_kind(kind, value, masked):
    assert masking.mask(kind, value) == masked


def test_lists_show_masked_values(records, office_client, django_assert_max_num_queries):
    round_ = records["round"]
    page = office_client.get(f"/rounds/{round_.pk}/petitions/").content.decode()
    assert "欧***" in page and "司***" in page
    assert PETITIONER not in page and SUBJECT not in page and CONTACT not in page
    with django_assert_max_num_queries(20):
        page = office_client.get("/referrals/leads/").content.decode()
    assert "诸***" in page and LEAD_SUBJECT not in page


def test_detail_page_shows_whole_value_as_a_logged_read(records, office_client, office_user):
    cadre = records["cadre"]
    page = office_client.get(f"/units/cadres/{cadre.pk}/").content.decode()
    assert f'<td id="cadre-phone">{PHONE}</td>' in page
    assert f'<td id="cadre-id-number">{ID_NUMBER}</td>' in page
    assert list(ReadLog.objects.filter(object_type="units.cadre").values_list("user_id", "action", "object_id")) == [
        (office_user.pk, "view", str(cadre.pk))
    ]
    petition = records["petition"]
    page = office_client.get(f"/rounds/petitions/{petition.pk}/").content.decode()
    assert PETITIONER in page and CONTACT in page
    assert ReadLog.objects.filter(object_type="rounds.petition", object_id=str(petition.pk), action="view").count() == 1


def test_api_lists_mask_and_retrieve_shows_whole_value(records):
    api = APIClient()
    api.force_authenticate(records["user"])
    cadre, petition, lead = records["cadre"], records["petition"], records["lead"]
    row = api.get("/api/cadres/").json()["results"][0]
    assert (row["phone"], row["id_number"]) == ("138****5678", "110101********1237")
    detail = api.get(f"/api/cadres/{cadre.pk}/").json()
    assert (detail["phone"], detail["id_number"]) == (PHONE, ID_NUMBER)
    assert ReadLog.objects.filter(object_type="units.cadre", object_id=str(cadre.pk)).count() == 1
    row = api.get("/api/petitions/").json()["results"][0]
    assert (row["petitioner_name"], row["petitioner_contact"], row["subject_person"]) == (
        "欧***", "139****1111", "司***")
    detail = api.get(f"/api/petitions/{petition.pk}/").json()
    assert (detail["petitioner_name"], detail["petitioner_contact"]) == (PETITIONER, CONTACT)
    assert api.get("/api/referrals/leads/").json()["results"][0]["subject_name"] == "诸***"
    assert api.get(f"/api/referrals/leads/{lead.pk}/").json()["subject_name"] == LEAD_SUBJECT


def _sheet(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def test_excel_ledgers_show_masked_values(records, office_client):
    [cadre] = _sheet(office_client.get("/units/cadres/export/"))
    assert (cadre["电话"], cadre["公民身份号码"]) == ("138****5678", "110101********1237")
    [petition] = _sheet(office_client.get("/dashboard/ledgers/petitions.xlsx"))
    assert (petition["信访人"], petition["联系方式"], petition["被反映人"]) == ("欧***", "139****1111", "司***")
    [lead] = _sheet(office_client.get("/dashboard/ledgers/leads.xlsx"))
    assert lead["被反映人"] == "诸***"


def test_backup_serialization_holds_ciphertext_and_restores_values(records):
    """`manage.py backup` writes Django's XML serialization: ciphertext there too, plain values again on load."""
    data = serializers.serialize("xml", [*Cadre.objects.all(), *Petition.objects.all()])
    assert not any(text in data for text in (PHONE, ID_NUMBER, PETITIONER, CONTACT, SUBJECT))
    loaded = {type(item.object): item.object for item in serializers.deserialize("xml", data)}
    assert (loaded[Cadre].phone, loaded[Cadre].id_number) == (PHONE, ID_NUMBER)
    assert loaded[Petition].petitioner_contact == CONTACT
