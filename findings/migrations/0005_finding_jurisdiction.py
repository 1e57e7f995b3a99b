import django.db.models.deletion
from django.db import migrations, models


def copy_from_round(apps, schema_editor):
    Finding = apps.get_model("findings", "Finding")
    Round = apps.get_model("rounds", "Round")
    Finding.objects.update(
        jurisdiction_id=models.Subquery(Round.objects.filter(pk=models.OuterRef("round_id")).values("jurisdiction_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("findings", "0004_default_checklist"),
        ("rounds", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="jurisdiction",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="accounts.jurisdiction", verbose_name="管辖范围",
            ),
        ),
        migrations.RunPython(copy_from_round, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="finding",
            name="jurisdiction",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="accounts.jurisdiction", verbose_name="管辖范围",
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["jurisdiction", "-id"], name="finding_jurisdiction_recent"),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(fields=["jurisdiction", "status", "-id"], name="finding_jurisdiction_status"),
        ),
    ]
