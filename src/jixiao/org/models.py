"""Organisations, units, people, object categories, assessed objects and role grants (DOMAIN.md §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.core.models import TreeModel

MAX_UNIT_DEPTH = 3  # government → towns/departments → sections; staff (people) are the fourth level


class Organisation(models.Model):
    """组织（机构）: an independent tenant of the installation — a government or a bureau that runs
    its own assessments with its own unit tree, categories, schemes and supervised matters.

    One installation can host several (the demo: 正定县人民政府 and 浏阳市财政局); nothing of one is
    ever shown to the users of another. Every unit belongs to one; the top-level records
    (categories, schemes, assessments, matters, bulletins) carry it so selectors filter cheaply.
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Unit(TreeModel):
    """单位: a node of the organisation tree — the government (level 1), a town, department or
    agency (level 2), or a section (科室/股室, level 3). People hang below as level 4."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "政府"
        TOWN = "town", "乡镇"
        DEPARTMENT = "department", "部门"
        AGENCY = "agency", "驻地单位"
        SECTION = "section", "科室"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units",
                                     help_text="set from the parent by unit_create; a root names its own")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(default=1, help_text="1 = root; set by unit_create from the parent")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["level", "position", "code"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """人员: a member of staff in a unit or section, with a position level; may have an account."""

    class Level(models.TextChoices):
        LEADER = "leader", "领导班子成员"
        HEAD = "head", "中层正职"
        DEPUTY = "deputy", "中层副职"
        STAFF = "staff", "一般人员"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=50)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.STAFF)
    title = models.CharField(max_length=60, blank=True, help_text="职务, e.g. 局长、股长")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="person")

    class Meta:
        ordering = ["unit__code", "code"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """考核对象类别: towns, departments, special-project units, 中层正职…; each is scored by the
    category of the same code in the assessment's scheme."""

    class Subject(models.TextChoices):
        UNIT = "unit", "单位"
        PERSON = "person", "个人"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="categories")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    subject = models.CharField(max_length=10, choices=Subject.choices, default=Subject.UNIT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class AssessedObject(models.Model):
    """考核对象: a unit or a person assessed under one category. ``group`` is the ranking group
    (the engine's ``group``; by default the category code, e.g. 中层副职 and 一般人员 ranked apart).
    ``parent`` links a person's object to their section's object for cross-level rules."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="members")
    group = models.SlugField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessed_objects",
                             help_text="the unit it is, or the person's unit: decides who sees it")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="assessed")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category__position", "code"]

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """角色授权: a user holds a role, scoped to a unit and its subtree (none for office-wide roles).

    A grant holds within one organisation (the unit's, or for an office-wide role the one named):
    an office admin of two organisations holds two grants and works in one at a time.
    A leader holds one grant per unit he oversees (分管单位); a data-source reporter's unit is the
    data-source unit (数据采集责任单位) whose indicators he reports for every object.
    The system, security and audit administrators (三员) hold organisation-wide grants, one of
    the three per account (``grant_add`` refuses a second).
    """

    class Role(models.TextChoices):
        OFFICE_ADMIN = "office_admin", "绩效办管理员"
        LEADER = "leader", "领导"
        UNIT_HEAD = "unit_head", "单位负责人"
        UNIT_REPORTER = "unit_reporter", "单位填报员"
        SOURCE_REPORTER = "source_reporter", "数据来源单位填报员"
        STAFF = "staff", "干部职工"
        LEADER_GROUP = "leader_group", "考核领导小组成员"
        # 三员分立: three administrators of the installation, never two of them in one account.
        SYSTEM_ADMIN = "system_admin", "系统管理员"
        SECURITY_ADMIN = "security_admin", "安全管理员"
        AUDIT_ADMIN = "audit_admin", "审计管理员"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="grants",
                                     help_text="the unit's; for an office-wide grant, the office's organisation")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_grant")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.unit or ''}"


class AccountSecurity(models.Model):
    """账号安全状态: when an account's password was last set and whether it must be changed at the
    next login (after a reset by an administrator, or when it has expired). One row per account,
    written only by ``jixiao.org.services`` (account_create, password_change, password_reset)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    password_changed_at = models.DateTimeField()
    must_change_password = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user} {self.password_changed_at:%Y-%m-%d}"
