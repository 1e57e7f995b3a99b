import inspection.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('rounds', '0006_membership_cadre_active_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpetition',
            name='petitioner_contact_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='petitioner_contact', verbose_name='信访人联系方式（盲索引）'),
        ),
        migrations.AddField(
            model_name='petition',
            name='petitioner_contact_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='petitioner_contact', verbose_name='信访人联系方式（盲索引）'),
        ),
        migrations.AlterField(
            model_name='historicalpetition',
            name='petitioner_contact',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='contact', max_length=100, verbose_name='信访人联系方式'),
        ),
        migrations.AlterField(
            model_name='historicalpetition',
            name='petitioner_name',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='name', max_length=50, verbose_name='信访人姓名'),
        ),
        migrations.AlterField(
            model_name='historicalpetition',
            name='subject_person',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='name', max_length=50, verbose_name='被反映人'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='petitioner_contact',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='contact', max_length=100, verbose_name='信访人联系方式'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='petitioner_name',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='name', max_length=50, verbose_name='信访人姓名'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='subject_person',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='name', max_length=50, verbose_name='被反映人'),
        ),
        # Existing rows (and their history) are encrypted under the configured key; backwards they are decrypted.
        inspection.core.fields.encrypt_existing("rounds", "Petition"),
    ]
