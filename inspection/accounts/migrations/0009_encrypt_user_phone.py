import inspection.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_daily_dormant_accounts_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='phone_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='phone', verbose_name='电话（盲索引）'),
        ),
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='phone', max_length=30, verbose_name='电话'),
        ),
        # Existing rows (and their history) are encrypted under the configured key; backwards they are decrypted.
        inspection.core.fields.encrypt_existing("accounts", "User"),
    ]
