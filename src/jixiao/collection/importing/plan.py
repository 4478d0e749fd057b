"""What an import may contain for a user and a period: the sheets, rows and columns.

Built once from the database (two queries) and used by both the template writer and the reader,
so a template never offers a cell the reader would refuse, and the reader refuses exactly the
cells the template greys out or leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.collection.models import Value
from jixiao.org.models import AssessedObject
from jixiao.org.scoping import Scope
from jixiao.schemes.catalog import VARIABLE_LABELS, Catalog, CategoryInfo, Leaf
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of

from .layout import column_key

TARGET = "target"


@dataclass(frozen=True)
class ObjectInfo:
    id: int
    code: str
    name: str
    group: str
    unit_id: int


@dataclass(frozen=True)
class Column:
    leaf: Leaf
    variable: str

    @property
    def key(self) -> str:
        return column_key(self.leaf.code, self.variable)

    @property
    def label(self) -> str:
        return VARIABLE_LABELS.get(self.variable, self.variable)


@dataclass(frozen=True)
class Existing:
    value: Decimal | None
    status: str


@dataclass(frozen=True)
class SheetPlan:
    category: CategoryInfo
    objects: list[ObjectInfo]
    columns: list[Column]


@dataclass
class ImportContext:
    assessment: Assessment
    period: Period
    catalog: Catalog
    scope: Scope
    objects: dict[str, ObjectInfo]  # every active object of the assessment's categories, by code
    existing: dict[tuple[int, str, str], Existing]
    _columns: dict[str, list[Column]] = field(default_factory=dict)

    def columns(self, category: str) -> list[Column]:
        """Every value column of a category that is assessed in this period."""
        if category not in self._columns:
            info = self.catalog.categories[category]
            self._columns[category] = [
                Column(leaf, var) for leaf in info.leaves if leaf.kind == "value" and leaf.applies(self.period.code)
                for var in leaf.variables]
        return self._columns[category]

    def category_of(self, obj: ObjectInfo) -> str | None:
        return self.catalog.category_of_group(obj.group)

    def may_report(self, obj: ObjectInfo, col: Column) -> bool:
        """The scope may enter this column for this object. Targets (目标值) are set by the
        office, not by the reporters whose score they decide."""
        if self.scope.office:
            return True
        return col.variable != TARGET and self.scope.can_report(obj.unit_id, col.leaf.source)

    def sheets(self) -> list[SheetPlan]:
        """Per category: the objects the scope may report something for, and the columns at
        least one of them may report (the office: everything)."""
        by_cat: dict[str, list[ObjectInfo]] = {}
        for obj in self.objects.values():
            cat = self.category_of(obj)
            if cat is not None:
                by_cat.setdefault(cat, []).append(obj)
        out = []
        for code, info in self.catalog.categories.items():
            columns = self.columns(code)
            objs = sorted(by_cat.get(code, []), key=lambda o: o.code)
            if not self.scope.office:
                objs = [o for o in objs if any(self.may_report(o, c) for c in columns)]
                columns = [c for c in columns if any(self.may_report(o, c) for o in objs)]
            if objs and columns:
                out.append(SheetPlan(category=info, objects=objs, columns=columns))
        return out


def may_import(scope: Scope) -> bool:
    """Only the office and reporters (of a unit or of a data source) import values."""
    return scope.office or bool(scope.report_units) or bool(scope.source_keys)


def import_context(*, scope: Scope, period: Period, values: bool = True) -> ImportContext:
    """Two queries: the objects, and (unless ``values`` is false) the period's values."""
    assessment = period.assessment
    catalog = catalog_of(assessment)
    groups = sorted({g for c in catalog.categories.values() for g in c.groups})
    objects = {code: ObjectInfo(pk, code, name, group, unit_id) for pk, code, name, group, unit_id in
               AssessedObject.objects.filter(active=True, group__in=groups,
                                             unit__organisation_id=assessment.organisation_id)
               .values_list("id", "code", "name", "group", "unit_id").iterator(chunk_size=5000)}
    existing: dict[tuple[int, str, str], Existing] = {}
    if values:
        rows = (Value.objects.filter(period=period, object__active=True, object__group__in=groups)
                .values_list("object_id", "indicator", "variable", "value", "status").iterator(chunk_size=20000))
        existing = {(o, i, v): Existing(x, s) for o, i, v, x, s in rows}
    return ImportContext(assessment=assessment, period=period, catalog=catalog, scope=scope, objects=objects,
                         existing=existing)
