import inspection.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('referrals', '0003_lead_jurisdiction_recent_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicallead',
            name='subject_name_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='subject_name', verbose_name='被反映人姓名（盲索引）'),
        ),
        migrations.AddField(
            model_name='lead',
            name='subject_name_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='subject_name', verbose_name='被反映人姓名（盲索引）'),
        ),
        migrations.AlterField(
            model_name='historicallead',
            name='subject_name',
            field=inspection.core.fields.EncryptedCharField(kind='name', max_length=50, verbose_name='被反映人姓名'),
        ),
        migrations.AlterField(
            model_name='lead',
            name='subject_name',
            field=inspection.core.fields.EncryptedCharField(kind='name', max_length=50, verbose_name='被反映人姓名'),
        ),
        # Existing rows (and their history) are encrypted under the configured key; backwards they are decrypted.
        inspection.core.fields.encrypt_existing("referrals", "Lead"),
    ]
