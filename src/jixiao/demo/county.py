"""The county of DOMAIN.md (seed 001, Zhengding): its units, categories, objects, accounts and
assessment. The year's data is written by :mod:`jixiao.demo.county_data`.

Units follow the seed: 7 towns (乡镇), 32 departments (县政府工作部门和单位) and 9 units doing the
old-town restoration (古城风貌恢复), all level 2 under 正定县人民政府. The 9 are units of their own
(7 departments outside the 32, 正定镇 and 城区街道办事处), as in the seed's 48 = 7 + 32 + 9. Four
more units are not assessed but report data for others (数据采集责任单位) and carry exactly the
``source`` names the scheme uses, so their reporters can be given accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jixiao.demo.common import Ctx
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Organisation, Unit
from jixiao.schemes import services as sch
from jixiao.schemes.models import Assessment, Period

SCHEME = Path(__file__).parent / "schemes" / "zhengding.yaml"
ASSESSMENT = "zhengding-2024"
ROOT = ("zhengding", "正定县人民政府")

TOWNS = [("nanniu", "南牛乡"), ("xinchengpu", "新城铺镇"), ("xipingle", "西平乐乡"), ("xinan", "新安镇"),
         ("nanlou", "南楼乡"), ("quyangqiao", "曲阳桥乡"), ("beizaoxian", "北早现乡")]

DEPARTMENTS = [
    ("zfb", "县政府办"), ("zsj", "县招商局"), ("gxj", "县工信局"), ("swj", "县水务局"), ("nmj", "县农牧局"),
    ("xmsc", "县畜牧水产中心"), ("njzx", "县农机管理中心"), ("lyj", "县林业局"), ("swuj", "县商务局（粮食局）"),
    ("nkb", "县农开办"), ("scb", "县市场办"), ("gxs", "县供销总社"), ("jyj", "县教育局"), ("kjj", "县科技局"),
    ("mzj", "县民政局（宗教局）"), ("rsj", "县人社局"), ("czj", "县财政局"), ("sbj", "县社保局"),
    ("ybzx", "县医保中心"), ("jiuyj", "县就业局"), ("kgb", "县矿管办"), ("wgxj", "县文广新局"), ("wsj", "县卫生局"),
    ("jsj", "县计生局"), ("tjj", "县统计局"), ("gaj", "县公安局"), ("sfj", "县司法局"), ("hbj", "县环保局"),
    ("sjj", "县审计局"), ("syjj", "县食药监局"), ("ajj", "县安监局"), ("xzfw", "县行政服务中心"),
]

# (code, name, kind) of the units assessed for the old-town restoration
GUCHENG = [
    ("ghfj", "县规划分局", Unit.Kind.AGENCY), ("gtfj", "县国土分局", Unit.Kind.AGENCY),
    ("zjj", "县住建局", Unit.Kind.DEPARTMENT), ("fgj", "县发改局", Unit.Kind.DEPARTMENT),
    ("wgj", "县文管局", Unit.Kind.DEPARTMENT), ("cgj", "县城管局", Unit.Kind.DEPARTMENT),
    ("jtj", "县交通局", Unit.Kind.DEPARTMENT), ("zdz", "正定镇", Unit.Kind.TOWN),
    ("cqjd", "城区街道办事处", Unit.Kind.TOWN),
]

# data-source units that are not assessed themselves; names are the scheme's ``source`` values
SOURCES = [
    ("jxb", "县绩效办", Unit.Kind.DEPARTMENT), ("xfj", "县信访局", Unit.Kind.DEPARTMENT),
    ("dcd", "国家统计局正定调查队", Unit.Kind.AGENCY), ("gczhb", "古城风貌恢复工作指挥部", Unit.Kind.AGENCY),
]

CATEGORIES = [("xiangzhen", "乡镇（承担日常工作）"), ("bumen", "县政府工作部门和单位（承担日常工作）"),
              ("gucheng", "承担古城风貌恢复工作的单位")]

FGLD_UNITS = ["czj", "tjj", "sjj", "rsj", "sbj"]  # the vice-head oversees these departments


@dataclass
class CountyUnits:
    """The county's organisation: what exists before its assessment does."""

    root: Unit
    units: dict[str, Unit]
    objects: dict[str, AssessedObject]


@dataclass
class County(CountyUnits):
    assessment: Assessment
    periods: dict[str, Period]

    def objects_of(self, category: str) -> list[AssessedObject]:
        return [o for o in self.objects.values() if o.category.code == category]


def build_units(ctx: Ctx, organisation: Organisation) -> CountyUnits:
    """Units, categories and assessed objects, in the county's organisation."""
    actor = ctx.office.user
    root = org.unit_create(actor=actor, code=ROOT[0], name=ROOT[1], kind=Unit.Kind.GOVERNMENT,
                           organisation=organisation)
    units: dict[str, Unit] = {}
    position = 0
    for group, kind in ((TOWNS, Unit.Kind.TOWN), (DEPARTMENTS, Unit.Kind.DEPARTMENT)):
        for code, name in group:
            position += 1
            units[code] = org.unit_create(actor=actor, code=code, name=name, kind=kind, parent=root,
                                          position=position)
    for code, name, kind in GUCHENG + SOURCES:
        position += 1
        units[code] = org.unit_create(actor=actor, code=code, name=name, kind=kind, parent=root, position=position)

    cats = {code: org.category_create(actor=actor, code=code, name=name, position=i + 1, organisation=organisation)
            for i, (code, name) in enumerate(CATEGORIES)}
    objects: dict[str, AssessedObject] = {}
    members = ([(c, "xiangzhen") for c, _ in TOWNS] + [(c, "bumen") for c, _ in DEPARTMENTS]
               + [(c, "gucheng") for c, _, _ in GUCHENG])
    for code, cat in members:
        unit = units[code]
        objects[code] = org.object_create(actor=actor, code=code, name=unit.name, category=cats[cat], unit=unit)
    return CountyUnits(root=root, units=units, objects=objects)


def build_assessment(ctx: Ctx, org_units: CountyUnits, *, seed: int) -> County:
    """The adopted scheme and the assessment with its periods."""
    actor = ctx.office.user
    version = sch.scheme_create(actor=actor, code="zhengding", name="正定县政府绩效管理评估方案",
                                text=SCHEME.read_text(encoding="utf-8"), note=f"演示数据（随机种子 {seed}）",
                                organisation=org_units.root.organisation)
    sch.scheme_version_adopt(actor=actor, version=version)
    assessment = sch.assessment_create(actor=actor, code=ASSESSMENT, name="正定县2024年度政府绩效管理评估",
                                       year=2024, version=version)
    # An edit under discussion for next year, saved as a draft: the schemes page shows a version
    # history and the what-if preview has something to compare.
    tighter = version.text.replace("rule: {method: ratio, target: 90}", "rule: {method: ratio, target: 92}", 1)
    assert tighter != version.text
    sch.scheme_version_create(actor=actor, based_on=version, text=tighter,
                              note="征求意见稿：乡镇信访积案化解率标准值由90%提高到92%")
    periods = {p.code: p for p in assessment.periods.select_related("assessment__version")}
    return County(root=org_units.root, units=org_units.units, objects=org_units.objects, assessment=assessment,
                  periods=periods)
