"""Rows written before leads were named by their number carry the subject's name in `object_repr`
("线索12（张三）", "线索12（张三）：谈话函询"): rewrite that label to the lead's number. Who read what and when
(user, time, action, object type and id, IP) is untouched; only the name leaves the log, which the office and
the admin read without a lead's need-to-know."""

import re

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat

NAMED = re.compile(r"^(线索\d+)（[^）]*）")


def name_leads_by_number(apps, schema_editor):
    ReadLog = apps.get_model("audit", "ReadLog")
    ReadLog.objects.filter(object_type="referrals.lead").update(object_repr=Concat(Value("线索"), F("object_id")))
    dispositions = ReadLog.objects.filter(object_type="referrals.disposition", object_repr__contains="（")
    batch = []
    for row in dispositions.only("pk", "object_repr").iterator(chunk_size=1000):
        row.object_repr = NAMED.sub(r"\1", row.object_repr)
        batch.append(row)
        if len(batch) == 1000:
            ReadLog.objects.bulk_update(batch, ["object_repr"])
            batch = []
    ReadLog.objects.bulk_update(batch, ["object_repr"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(name_leads_by_number, migrations.RunPython.noop)]
