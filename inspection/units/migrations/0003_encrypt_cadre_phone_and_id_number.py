import inspection.core.fields
import inspection.units.models
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('units', '0002_default_specialties'),
    ]

    operations = [
        migrations.AddField(
            model_name='cadre',
            name='id_number',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='id_number', max_length=18, validators=[inspection.units.models.validate_id_number], verbose_name='公民身份号码'),
        ),
        migrations.AddField(
            model_name='cadre',
            name='id_number_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='id_number', verbose_name='公民身份号码（盲索引）'),
        ),
        migrations.AddField(
            model_name='cadre',
            name='phone_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='phone', verbose_name='电话（盲索引）'),
        ),
        migrations.AddField(
            model_name='historicalcadre',
            name='id_number',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='id_number', max_length=18, validators=[inspection.units.models.validate_id_number], verbose_name='公民身份号码'),
        ),
        migrations.AddField(
            model_name='historicalcadre',
            name='id_number_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='id_number', verbose_name='公民身份号码（盲索引）'),
        ),
        migrations.AddField(
            model_name='historicalcadre',
            name='phone_index',
            field=inspection.core.fields.BlindIndexField(blank=True, db_index=True, default='', editable=False, max_length=64, source='phone', verbose_name='电话（盲索引）'),
        ),
        migrations.AlterField(
            model_name='cadre',
            name='phone',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='phone', max_length=30, verbose_name='电话'),
        ),
        migrations.AlterField(
            model_name='historicalcadre',
            name='phone',
            field=inspection.core.fields.EncryptedCharField(blank=True, kind='phone', max_length=30, verbose_name='电话'),
        ),
        # Existing rows (and their history) are encrypted under the configured key; backwards they are decrypted.
        inspection.core.fields.encrypt_existing("units", "Cadre"),
    ]
