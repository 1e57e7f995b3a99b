"""A checklist per office (issue 13 item 3).

`Category.owner`: NULL is the province's default tree, so every existing node (the seeded 3 areas, 24 aspects
and 51 manifestations, and whatever offices added through the old shared page) becomes the default tree with
no data to rewrite. Codes become unique per owner (two partial constraints: NULLs never collide in one).
`RetiredCategory` is an office's retirement of a default node for itself only. The index (jurisdiction,
category) serves the checklist page's per-office counts.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
        ('findings', '0006_historical_finding_jurisdiction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRetiredCategory',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('retired_at', models.DateTimeField(blank=True, editable=False, verbose_name='停用时间')),
                ('restored_at', models.DateTimeField(blank=True, null=True, verbose_name='恢复时间')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical 本机构停用的默认分类',
                'verbose_name_plural': 'historical 本机构停用的默认分类',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RetiredCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('retired_at', models.DateTimeField(auto_now_add=True, verbose_name='停用时间')),
                ('restored_at', models.DateTimeField(blank=True, null=True, verbose_name='恢复时间')),
            ],
            options={
                'verbose_name': '本机构停用的默认分类',
                'verbose_name_plural': '本机构停用的默认分类',
                'ordering': ['-retired_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='category',
            name='owner',
            field=models.ForeignKey(blank=True, editable=False, help_text='空为全省默认清单；否则为该巡察机构自行增加的分类，仅本机构可见', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.jurisdiction', verbose_name='所属巡察机构'),
        ),
        migrations.AddField(
            model_name='historicalcategory',
            name='owner',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='空为全省默认清单；否则为该巡察机构自行增加的分类，仅本机构可见', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.jurisdiction', verbose_name='所属巡察机构'),
        ),
        migrations.AlterField(
            model_name='category',
            name='code',
            field=models.CharField(help_text='如 1、1.2、1.2.3', max_length=20, verbose_name='编号'),
        ),
        migrations.AlterField(
            model_name='historicalcategory',
            name='code',
            field=models.CharField(help_text='如 1、1.2、1.2.3', max_length=20, verbose_name='编号'),
        ),
        migrations.AddIndex(
            model_name='finding',
            index=models.Index(fields=['jurisdiction', 'category'], name='finding_jurisdiction_category'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.UniqueConstraint(condition=models.Q(('owner__isnull', True)), fields=('code',), name='category_default_code_unique'),
        ),
        migrations.AddConstraint(
            model_name='category',
            constraint=models.UniqueConstraint(condition=models.Q(('owner__isnull', False)), fields=('owner', 'code'), name='category_owner_code_unique'),
        ),
        migrations.AddField(
            model_name='historicalretiredcategory',
            name='category',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='findings.category', verbose_name='问题分类'),
        ),
        migrations.AddField(
            model_name='historicalretiredcategory',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalretiredcategory',
            name='jurisdiction',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.jurisdiction', verbose_name='巡察机构'),
        ),
        migrations.AddField(
            model_name='historicalretiredcategory',
            name='restored_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='恢复人'),
        ),
        migrations.AddField(
            model_name='historicalretiredcategory',
            name='retired_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='停用人'),
        ),
        migrations.AddField(
            model_name='retiredcategory',
            name='category',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='retirements', to='findings.category', verbose_name='问题分类'),
        ),
        migrations.AddField(
            model_name='retiredcategory',
            name='jurisdiction',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.jurisdiction', verbose_name='巡察机构'),
        ),
        migrations.AddField(
            model_name='retiredcategory',
            name='restored_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='恢复人'),
        ),
        migrations.AddField(
            model_name='retiredcategory',
            name='retired_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='停用人'),
        ),
        migrations.AddConstraint(
            model_name='retiredcategory',
            constraint=models.UniqueConstraint(condition=models.Q(('restored_at__isnull', True)), fields=('jurisdiction', 'category'), name='retired_category_one_in_force'),
        ),
        migrations.AddConstraint(
            model_name='retiredcategory',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('restored_at__isnull', True), ('restored_by__isnull', True)), models.Q(('restored_at__isnull', False), ('restored_by__isnull', False)), _connector='OR'), name='retired_category_restored_with_actor'),
        ),
    ]
