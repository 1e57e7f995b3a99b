from django.db import migrations

SPECIALTIES = [
    ("finance", "财务", True),
    ("audit", "审计", True),
    ("law", "法律", False),
    ("discipline", "纪检", False),
    ("organization", "组织", False),
    ("engineering", "工程", False),
    ("land", "国土规划", False),
    ("it", "信息化", False),
    ("agriculture", "农业农村", False),
    ("education", "教育", False),
    ("health", "卫生健康", False),
    ("other", "其他", False),
]


def create(apps, schema_editor):
    Specialty = apps.get_model("units", "Specialty")
    for code, name, finance in SPECIALTIES:
        Specialty.objects.get_or_create(code=code, defaults={"name": name, "counts_as_finance": finance})


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
