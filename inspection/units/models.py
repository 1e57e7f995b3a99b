from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from inspection.core import masking
from inspection.core.fields import BlindIndexField, EncryptedCharField


class UnitKind(models.TextChoices):
    COUNTY_DEPARTMENT = "county_department", "县直部门"
    TOWNSHIP = "township", "乡镇/街道"
    VILLAGE = "village", "村/社区"
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    MASS_ORGANIZATION = "mass_organization", "群团组织"
    OTHER = "other", "其他"


class Unit(models.Model):
    """A party organisation that can be inspected (被巡察单位)."""

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    name = models.CharField("单位名称", max_length=120)
    kind = models.CharField("单位类别", max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    party_org_name = models.CharField("党组织名称", max_length=150, blank=True)
    head_name = models.CharField("主要负责人（一把手）", max_length=50, blank=True)
    head_post = models.CharField("负责人职务", max_length=80, blank=True)
    staff_count = models.PositiveIntegerField("在编人数", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    is_active = models.BooleanField("在册", default=True, help_text="撤并的单位不删除，只标记为不在册")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "被巡察单位"
        verbose_name_plural = "被巡察单位"
        ordering = ["jurisdiction_id", "kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "name"], name="unit_unique_name")]
        indexes = [models.Index(fields=["jurisdiction", "kind"], name="unit_jurisdiction_kind")]

    def __str__(self):
        return self.name


class Specialty(models.Model):
    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("专长", max_length=30, unique=True)
    counts_as_finance = models.BooleanField("属于审计/财务专长", default=False)

    class Meta:
        verbose_name = "专长"
        verbose_name_plural = "专长"
        ordering = ["id"]

    def __str__(self):
        return self.name


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_character(first17: str) -> str:
    """The check character of a 公民身份号码 (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    """An 18-character 公民身份号码 with its check character."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError("公民身份号码应为 18 位（前 17 位数字，末位数字或 X）")
    if value[17] != id_check_character(value[:17]):
        raise ValidationError("公民身份号码校验位不正确，请核对")


class Cadre(models.Model):
    """A person who can serve on an inspection team (巡察干部)."""

    class Pool(models.TextChoices):
        LEADER = "leader", "组长库"
        TALENT = "talent", "人才库"

    class JoinedVia(models.TextChoices):
        SELF = "self", "个人报名"
        RECOMMENDED = "recommended", "单位推荐"
        DESIGNATED = "designated", "组织认定"

    class Gender(models.TextChoices):
        MALE = "male", "男"
        FEMALE = "female", "女"

    jurisdiction = models.ForeignKey("accounts.Jurisdiction", verbose_name="管辖范围", on_delete=models.PROTECT)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices, blank=True)
    employer = models.ForeignKey(
        Unit, verbose_name="工作单位", null=True, blank=True, on_delete=models.PROTECT, related_name="employees"
    )
    employer_name = models.CharField("工作单位（库外）", max_length=120, blank=True)
    post = models.CharField("职务", max_length=80, blank=True)
    rank = models.CharField("职级", max_length=40, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name="专长", blank=True)
    pool = models.CharField("所在库", max_length=10, choices=Pool.choices)
    joined_via = models.CharField("入库方式", max_length=20, choices=JoinedVia.choices)
    joined_on = models.DateField("入库日期", null=True, blank=True)
    phone = EncryptedCharField("电话", max_length=30, blank=True, kind=masking.PHONE)
    phone_index = BlindIndexField("电话（盲索引）", source="phone")
    id_number = EncryptedCharField(
        "公民身份号码", max_length=18, blank=True, kind=masking.ID_NUMBER, validators=[validate_id_number]
    )
    id_number_index = BlindIndexField("公民身份号码（盲索引）", source="id_number")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadre",
    )
    is_active = models.BooleanField("在库", default=True)
    notes = models.TextField("备注", blank=True)
    history = HistoricalRecords(m2m_fields=[specialties])

    class Meta:
        verbose_name = "巡察干部"
        verbose_name_plural = "巡察干部"
        ordering = ["jurisdiction_id", "pool", "name", "id"]
        indexes = [models.Index(fields=["jurisdiction", "pool"], name="cadre_jurisdiction_pool")]

    def __str__(self):
        return self.name

    @property
    def employer_label(self):
        return self.employer.name if self.employer_id else self.employer_name


class RecusalFactor(models.Model):
    """A link between a cadre and a unit that forbids the cadre from inspecting it (回避因素)."""

    class Kind(models.TextChoices):
        WORKED_THERE = "worked_there", "曾在该单位工作"
        RELATIVE = "relative", "近亲属在该单位工作"
        HOMETOWN = "hometown", "籍贯/家乡所在地"
        OTHER = "other", "其他申报关系"

    cadre = models.ForeignKey(Cadre, verbose_name="巡察干部", on_delete=models.PROTECT, related_name="recusal_factors")
    unit = models.ForeignKey(Unit, verbose_name="关联单位", on_delete=models.PROTECT, related_name="recusal_factors")
    kind = models.CharField("回避情形", max_length=20, choices=Kind.choices)
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("有效", default=True)
    declared_at = models.DateField("申报日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "回避因素"
        verbose_name_plural = "回避因素"
        ordering = ["cadre_id", "id"]

    def __str__(self):
        return f"{self.cadre} — {self.unit}（{self.get_kind_display()}）"
