"""History names a file by its name, never by its storage path (issue 16: batch history showed a path)."""

import pytest

from inspection.core.history import history_rows

pytestmark = pytest.mark.django_db


def test_batch_history_shows_the_letter_file_name(office_user, make_lead, refer, discipline_body):
    batch = refer(discipline_body, make_lead(), send=False)
    batch.letter_pdf.name = "referrals/letters/2026/清巡办移〔2026〕1号.pdf"
    batch.save()
    changes = [change for row in history_rows(batch) for change in row.changes]
    letter = next(change for change in changes if change[0] == "移交函（PDF）")
    assert letter[2] == "清巡办移〔2026〕1号.pdf"
    assert "referrals/letters" not in str(changes)


def test_history_columns_do_not_wrap(client, office_user, make_lead, refer, discipline_body):
    batch = refer(discipline_body, make_lead(), send=False)
    client.force_login(office_user)
    html = client.get(f"/referrals/batches/{batch.pk}/").content.decode()
    history = html[html.index('id="history"'):]
    assert '<th class="text-nowrap">操作人</th>' in history
    assert '<td class="text-nowrap">' in history
