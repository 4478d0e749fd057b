"""A county-level finance bureau (seed 000, Liuyang): 11 sections (股室) and 60 staff assessed each
quarter, sections by the assessment group, their heads by the party group's vote, deputies and
staff by a democratic evaluation ranked apart.

The bureau is an organisation of its own (组织 浏阳市财政局, with its own root 浏阳市人民政府): it
is another government's bureau, so nothing of it shows to the county's users and nothing of the
county to the bureau's; the office admin works in both, one at a time. The year stands where the
county's does: Q1–Q3 closed, Q4 being scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jixiao.collection.services import ValueInput
from jixiao.demo.common import Ctx, add_ballot, clip, dec, strengths, write_values
from jixiao.org import services as org
from jixiao.org.models import AssessedObject, Category, Organisation, Person, Unit
from jixiao.schemes import services as sch
from jixiao.schemes.models import Assessment, Period

SCHEME = Path(__file__).parent / "schemes" / "finance.yaml"
ASSESSMENT = "liuyang-czj-2024"
ROOT = ("liuyang", "浏阳市人民政府")
BUREAU = ("lyczj", "浏阳市财政局")
QUARTERS = [f"2024-Q{q}" for q in range(1, 5)]
CLOSED = QUARTERS[:3]

# (code, name, head, deputy or None, staff)
SECTIONS = [
    ("bgs", "办公室", "刘建华", "王晓东", ["张敏", "李娜", "肖雯", "田野"]),
    ("ysg", "预算股", "陈志强", "陈丽萍", ["赵磊", "孙静", "朱琳", "蒋浩"]),
    ("gkg", "国库股", "李秀英", "罗军", ["钱鹏", "何婷", "杨帆", "许晴"]),
    ("zhg", "综合股", "周明", "袁宏", ["胡斌", "韩冰", "邓超"]),
    ("jjg", "经济建设股", "黄伟", "彭志刚", ["郭芳", "马超", "曹颖", "傅强"]),
    ("ncg", "农业财务股", "吴丽", "龙海燕", ["林燕", "高翔", "沈洁"]),
    ("sbg", "社会保障股", "郑国平", "汪建军", ["梁红", "宋涛", "姚远", "卢俊"]),
    ("zfg", "行政政法股", "谢志勇", "汤慧", ["唐佳", "冯凯", "范文"]),
    ("jkw", "教科文股", "罗文斌", "贺小平", ["金鑫", "钟慧", "戴军", "夏雪"]),
    ("kjg", "会计股", "曾庆华", None, ["丁磊", "任静", "薛峰"]),
    ("jxg", "预算绩效管理股", "邓立新", "邹敏", ["雷鸣", "廖婷", "欧阳芳"]),
]
LEADERS = [("谭志远", "局长、党组书记"), ("彭慧敏", "副局长、党组成员"), ("易国强", "副局长、党组成员")]
WEAK = {"zhg": -9.5}  # a section that falls below 70 all year: its staff lose their excellent places
Q4_UNSCORED = {"jkw", "kjg"}  # the assessment group has not scored these sections' central work for Q4
PARTY_VOTERS = 7  # 党组成员 voting on the section heads
STAFF_VOTERS = 58  # 全局干部职工 in the democratic evaluation

CATEGORIES = [("keshi", "科室（股室）", Category.Subject.UNIT), ("zhengzhi", "中层正职", Category.Subject.PERSON),
              ("geren", "中层副职和一般人员", Category.Subject.PERSON)]


@dataclass
class Bureau:
    root: Unit
    bureau: Unit
    sections: dict[str, Unit]
    leaders: list[Person]
    objects: dict[str, AssessedObject]  # sections by section code, people by person code
    section_of: dict[str, str]  # person object code → section code
    assessment: Assessment
    periods: dict[str, Period]


def build_bureau(ctx: Ctx, organisation: Organisation, *, seed: int) -> Bureau:
    """The bureau's units, staff, categories, objects, scheme and assessment, in its own organisation."""
    actor = ctx.office.user
    root = org.unit_create(actor=actor, code=ROOT[0], name=ROOT[1], kind=Unit.Kind.GOVERNMENT,
                           organisation=organisation)
    bureau = org.unit_create(actor=actor, code=BUREAU[0], name=BUREAU[1], kind=Unit.Kind.DEPARTMENT, parent=root)
    cats = {code: org.category_create(actor=actor, code=code, name=name, subject=subject, position=10 + i,
                                      organisation=organisation)
            for i, (code, name, subject) in enumerate(CATEGORIES)}
    leaders = [org.person_create(actor=actor, code=f"lyczj-l{i + 1}", name=name, unit=bureau,
                                 level=Person.Level.LEADER, title=title) for i, (name, title) in enumerate(LEADERS)]
    sections: dict[str, Unit] = {}
    objects: dict[str, AssessedObject] = {}
    section_of: dict[str, str] = {}
    n = 0
    for pos, (code, name, head, deputy, staff) in enumerate(SECTIONS, start=1):
        unit = org.unit_create(actor=actor, code=f"lyczj-{code}", name=name, kind=Unit.Kind.SECTION, parent=bureau,
                               position=pos)
        sections[code] = unit
        sec = org.object_create(actor=actor, code=unit.code, name=name, category=cats["keshi"], unit=unit)
        objects[code] = sec
        people = [(head, Person.Level.HEAD, f"{name}负责人", "zhengzhi", "zhengzhi")]
        if deputy:
            people.append((deputy, Person.Level.DEPUTY, f"{name}副职", "geren", "fuzhi"))
        people += [(s, Person.Level.STAFF, "科员", "geren", "yiban") for s in staff]
        for pname, level, title, cat, group in people:
            n += 1
            person = org.person_create(actor=actor, code=f"lyczj-p{n:02d}", name=pname, unit=unit, level=level,
                                       title=title)
            objects[person.code] = org.object_create(actor=actor, code=person.code, name=pname,
                                                     category=cats[cat], group=group, unit=unit, person=person,
                                                     parent=sec)
            section_of[person.code] = code
    version = sch.scheme_create(actor=actor, code="liuyang-czj", name="浏阳市财政局科室和个人绩效考核方案",
                                text=SCHEME.read_text(encoding="utf-8"), note=f"演示数据（随机种子 {seed}）",
                                organisation=organisation)
    sch.scheme_version_adopt(actor=actor, version=version)
    assessment = sch.assessment_create(actor=actor, code=ASSESSMENT, name="浏阳市财政局2024年度科室和个人绩效考核",
                                       year=2024, version=version)
    periods = {p.code: p for p in assessment.periods.select_related("assessment__version")}
    return Bureau(root=root, bureau=bureau, sections=sections, leaders=leaders, objects=objects,
                  section_of=section_of, assessment=assessment, periods=periods)


def bureau_data(ctx: Ctx, b: Bureau, rng: np.random.Generator) -> int:
    """Each quarter: the assessment group's plan scores, the heads' peer rating, the party group's
    score, the party members' vote on the heads and the democratic evaluation of everyone else."""
    office = ctx.office_in(b.root.organisation_id)
    sec_codes = [c for c, *_ in SECTIONS]
    people = [o for o in b.objects.values() if o.person_id is not None]
    s_sec = strengths(rng, sec_codes, WEAK)
    s_person = strengths(rng, [o.code for o in people])
    heads = {c: head for c, _, head, _, _ in SECTIONS}
    names = {c: name for c, name, *_ in SECTIONS}
    ballots = 0
    for q in QUARTERS:
        period = b.periods[q]
        rows: list[ValueInput] = []
        for c in sec_codes:
            obj = b.objects[c].code
            for ind, planned in (("jichu", 30), ("zhineng", int(rng.integers(8, 13)) * 10), ("zhongxin", 20)):
                if q == "2024-Q4" and ind == "zhongxin" and c in Q4_UNSCORED:
                    continue
                r = clip(0.92 + 0.04 * s_sec[c] + float(rng.normal(0, 0.03)), 0.3, 1.0)
                rows += [ValueInput(object=obj, indicator=ind, variable="planned", value=dec(planned, 0)),
                         ValueInput(object=obj, indicator=ind, variable="actual", value=dec(planned * r, 1))]
        write_values(office, period, rows)
        for c in sec_codes:
            sec = b.objects[c]
            for rater in sec_codes:
                if rater == c:
                    continue  # heads do not rate their own section
                mark = clip(1.72 + 0.12 * s_sec[c] + float(rng.normal(0, 0.08)), 0.6, 2.0)
                add_ballot(office, period, sec, "huping", str(dec(mark, 1)), rater=f"{heads[rater]}（{names[rater]}）")
                ballots += 1
            mark = clip(7.2 + 0.35 * s_sec[c] + float(rng.normal(0, 0.15)), 3.0, 8.0)
            add_ballot(office, period, sec, "dangzu", str(dec(mark, 1)), rater="局党组")
            ballots += 1
        for p in people:
            s = s_person[p.code] + 0.25 * s_sec[b.section_of[p.code]]
            if p.group == "zhengzhi":
                agree = int(rng.binomial(PARTY_VOTERS, clip(0.42 + 0.2 * s, 0.05, 0.95)))
                votes = [("同意", agree), ("不同意", PARTY_VOTERS - agree)]
                indicator, rater = "toupiao", "局党组成员"
            else:
                e = clip(0.3 + 0.15 * s, 0.03, 0.8)
                probs = [e, (1 - e) * 0.85, (1 - e) * 0.12, (1 - e) * 0.03]
                counts = rng.multinomial(STAFF_VOTERS, probs)
                votes = list(zip(["优秀", "称职", "基本称职", "不称职"], (int(x) for x in counts)))
                indicator, rater = "minzhu", "全局干部职工"
            for label, count in votes:
                if count:
                    add_ballot(office, period, p, indicator, label, rater=rater, count=count)
                    ballots += 1
    return ballots


def bureau_close(ctx: Ctx, b: Bureau) -> None:
    for code in CLOSED:
        sch.period_close(actor=ctx.office.user, period=b.periods[code])
