"""Supervision (督办) in the demo: the 2024 matters behind the assessment's ``督办事项办理`` scores,
and live matters and rectification items around the day the demo is built.

Every matter walks its chain through the services, each step dated with the services' ``today=``:

- :data:`HISTORY`: 2024 matters, all settled by the year's end — on time, late, returned for
  rework, one extended by its leader. They are written before the county's assessment exists (the
  services then have no indicator to feed at each step, which keeps the build fast); the builder
  counts them into the ledger once, with the daily job's :func:`supervision_values_sync` as of
  2024-12-31, before the first half of the year is closed.
- :func:`live_specs`: 25 supervised matters and 10 rectification items with deadlines from ten days
  before to forty days after ``today``, in every state and every light: milestones, progress
  reports with small attachments, a completion report awaiting the check, one returned for rework,
  one extension approved and one waiting for its leader.

Units sign and report through their demo accounts (:data:`MEMBERS`); units without an account
hold only matters the office has not handed down yet or that they have not signed for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.demo.common import Ctx, Session
from jixiao.org.models import Unit
from jixiao.supervision.models import Extension, Matter
from jixiao.supervision.services import (
    MatterInput,
    MilestoneInput,
    extension_decide,
    extension_request,
    matter_assign,
    matter_check,
    matter_close,
    matter_feedback,
    matter_register,
    matter_review,
    matter_sign,
)

K, S = Matter.Kind, Matter.Source
SYNC_DAY = dt.date(2024, 12, 31)  # the 2024 counts are taken as of the year's end
# Units whose demo account signs for and reports on their matters (unit reporters; the data-source
# reporters of 县统计局 and 县财政局 are also their bureau's supervision liaisons).
MEMBERS = {"nanniu": "nanniu_tb", "jyj": "jyj_tb", "tjj": "tjj_tb", "czj": "czj_tb"}
LIAISONS = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳"]


@dataclass(frozen=True)
class Act:
    """One step after the assignment: ``what`` is sign, feedback, report, return, pass, close,
    extend (the unit asks) or approve (the leader in charge approves the pending request)."""

    what: str
    on: dt.date
    text: str = ""
    progress: int | None = None
    milestone: int | None = None  # index of the milestone the feedback completes
    attach: bool = False
    unit: str = ""  # feedback by a co-unit
    until: dt.date | None = None  # the extension's new deadline
    by: str = ""  # an account other than the office's (closing by the leader in charge)


@dataclass(frozen=True)
class Spec:
    """One matter of the demo: what the office registers, when it hands it down, and the steps after."""

    kind: str
    source: str
    title: str
    lead: str
    deadline: dt.date
    registered: dt.date
    assigned: dt.date | None = None  # None: registered (and reviewed, when ``reviewed``) only
    reviewed: bool = False  # the office reviewed it before handing it down (assignment may skip it)
    leader: str | None = None
    co: tuple[str, ...] = ()
    source_ref: str = ""
    level: str = Matter.Level.NORMAL
    urgency: str = Matter.Urgency.NORMAL
    content: str = ""
    materials: str = ""
    measures: str = ""
    milestones: tuple[tuple[str, dt.date], ...] = ()
    acts: tuple[Act, ...] = field(default_factory=tuple)
    warn_days: int | None = None


def _d(month: int, day: int) -> dt.date:
    return dt.date(2024, month, day)


def _history(kind: str, source: str, title: str, lead: str, leader: str, assigned: dt.date, deadline: dt.date,
             *acts: Act, ref: str = "") -> Spec:
    """A 2024 matter: registered, reviewed and handed down on one day, signed for two days later."""
    signed = Act("sign", assigned + dt.timedelta(days=2))
    return Spec(kind=kind, source=source, title=title, lead=lead, leader=leader, registered=assigned, reviewed=True,
                assigned=assigned, deadline=deadline, source_ref=ref, acts=(signed, *acts))


def _settled(report: dt.date, *, passed: int = 3, closed: int = 5, by: str = "") -> tuple[Act, ...]:
    """A completion report, its check passed and the matter closed some days later."""
    return (Act("report", report, "已按要求办结，相关资料已归档"), Act("pass", report + dt.timedelta(passed)),
            Act("close", report + dt.timedelta(closed), by=by))


def _progress(on: dt.date, progress: int, text: str) -> Act:
    return Act("feedback", on, text, progress=progress)


HISTORY: list[Spec] = [
    # 南牛乡: five counted (4 on time, 1 late, 1 return), the leader in charge is the county head.
    _history(K.SUPERVISION, S.SUPERIOR, "春季农田水利设施修缮", "nanniu", "leader", _d(2, 20), _d(4, 30),
             _progress(_d(3, 25), 50, "已完成12条斗渠清淤"), *_settled(_d(4, 25), by="leader"),
             ref="石农水〔2024〕8号"),
    _history(K.SUPERVISION, S.LEADER, "小麦“一喷三防”技术推广", "nanniu", "leader", _d(3, 15), _d(5, 31),
             _progress(_d(4, 20), 40, "完成技术培训3场"), *_settled(_d(6, 6))),
    _history(K.SUPERVISION, S.LEADER, "村庄街道垃圾堆放集中清理", "nanniu", "leader", _d(5, 10), _d(6, 20),
             Act("report", _d(6, 12), "已清理完毕"), Act("return", _d(6, 15), text="清运台账不全，缺少5个村的转运记录"),
             *_settled(_d(6, 19), passed=2, closed=4)),
    _history(K.SUPERVISION, S.MEETING, "秋粮收储服务保障", "nanniu", "leader", _d(8, 1), _d(9, 30),
             Act("extend", _d(9, 20), "连续降雨，秋收推迟", until=_d(10, 31)), Act("approve", _d(9, 22)),
             *_settled(_d(10, 28), by="leader"), ref="县政府常务会议纪要〔2024〕15号"),
    _history(K.SUPERVISION, S.NPC, "农村道路“户户通”硬化", "nanniu", "leader", _d(7, 1), _d(11, 30),
             _progress(_d(9, 10), 60, "已硬化道路8.6公里"), *_settled(_d(11, 20)), ref="人大建议第23号"),
    # 县教育局: two counted on time; its rectification item (returned, late) is not a 督办事项.
    _history(K.SUPERVISION, S.SUPERIOR, "义务教育薄弱环节改善", "jyj", "leader", _d(3, 1), _d(6, 30),
             _progress(_d(5, 6), 70, "5所学校改造完工"), *_settled(_d(6, 25))),
    _history(K.RECTIFICATION, S.AUDIT, "学校食堂财务管理问题整改", "jyj", "leader", _d(4, 15), _d(7, 31),
             Act("report", _d(7, 20), "已完成整改"), Act("return", _d(7, 24), text="部分票据仍未补齐"),
             *_settled(_d(8, 12))),
    _history(K.SUPERVISION, S.CPPCC, "课后延时服务扩面", "jyj", "leader", _d(9, 1), _d(11, 15),
             *_settled(_d(11, 10), by="leader"), ref="政协提案第41号"),
    # 县统计局 and 县财政局: the vice-head over them is in charge.
    _history(K.SUPERVISION, S.SUPERIOR, "第五次全国经济普查登记", "tjj", "fgld", _d(1, 10), _d(3, 31),
             *_settled(_d(3, 28), by="fgld")),
    _history(K.SUPERVISION, S.LEADER, "统计数据质量专项检查", "tjj", "fgld", _d(6, 1), _d(8, 31),
             _progress(_d(7, 15), 50, "完成12个乡镇和部门的数据抽查"), *_settled(_d(9, 10))),
    _history(K.SUPERVISION, S.SUPERIOR, "部门预算绩效自评", "czj", "fgld", _d(2, 1), _d(4, 15),
             *_settled(_d(4, 10))),
    _history(K.SUPERVISION, S.AUDIT, "财政专项资金结存清理", "czj", "fgld", _d(5, 1), _d(6, 30),
             Act("report", _d(6, 20), "已清理结存资金"), Act("return", _d(6, 24), text="2个部门的结存资金未收回"),
             *_settled(_d(6, 29), passed=2, closed=3, by="fgld")),
    _history(K.SUPERVISION, S.MEETING, "政府采购意向公开", "czj", "fgld", _d(8, 15), _d(10, 31),
             *_settled(_d(10, 30))),
    _history(K.SUPERVISION, S.SUPERIOR, "惠民惠农补贴“一卡通”清理", "czj", "fgld", _d(9, 10), _d(12, 15),
             _progress(_d(11, 1), 60, "已核对补贴发放数据2.3万条"), *_settled(_d(12, 20), passed=2, closed=4)),
]


def live_specs(today: dt.date) -> list[Spec]:
    """The matters open or settled around ``today``; every date is counted from it."""

    def t(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    def handed(kind: str, source: str, title: str, lead: str, assigned: int, deadline: int, *acts: Act,
               **kw: Any) -> Spec:
        return Spec(kind=kind, source=source, title=title, lead=lead, registered=t(assigned), assigned=t(assigned),
                    deadline=t(deadline), acts=acts, **kw)

    def sign(n: int) -> Act:
        return Act("sign", t(n))

    def fb(n: int, progress: int, text: str, **kw: Any) -> Act:
        return Act("feedback", t(n), text, progress=progress, **kw)

    def report(n: int, text: str = "已全部完成，请核查") -> Act:
        return Act("report", t(n), text, attach=True)

    sup, rect = K.SUPERVISION, K.RECTIFICATION
    return [
        # ---- supervised matters (督办事项) of units with a demo account
        handed(sup, S.SUPERIOR, "推进高标准农田建设", "nanniu", -30, 25, sign(-29),
               fb(-16, 30, "项目区勘测设计已完成", milestone=0, attach=True), fb(-5, 55, "土地平整完成过半"),
               leader="leader", co=("xinchengpu",), level=Matter.Level.IMPORTANT, reviewed=True,
               source_ref=f"冀农建〔{today.year}〕6号",
               content="新建高标准农田1.2万亩，配套灌溉和田间道路", materials="项目验收报告",
               milestones=(("完成项目区勘测设计", t(-15)), ("完成土地平整", t(10)))),
        handed(sup, S.LEADER, "农村人居环境整治百日攻坚", "nanniu", -20, 2, sign(-19),
               fb(-8, 60, "已整治村庄14个"), leader="leader", urgency=Matter.Urgency.URGENT,
               content="完成全乡24个村的“三清一改”"),
        handed(sup, S.MEETING, "秋冬季秸秆禁烧巡查", "nanniu", -35, -5, sign(-34), fb(-12, 70, "巡查队伍已覆盖全部村"),
               leader="leader"),
        handed(sup, S.LEADER, "扶贫项目资产确权登记", "nanniu", -30, 10, sign(-29), report(-6),
               Act("return", t(-3), "公示照片缺少村委会盖章，请补充后重新报送"), leader="leader",
               materials="确权登记台账\n公示照片"),
        handed(sup, S.SUPERIOR, "农村饮用水水质提升", "nanniu", -25, 5, sign(-24), fb(-12, 40, "完成水源地排查"),
               Act("extend", t(-10), "管网改造需避开灌溉用水高峰", until=t(30)), Act("approve", t(-8)),
               leader="leader"),
        handed(sup, S.NPC, "农村学校周边交通安全整治", "jyj", -40, -8, sign(-39),
               fb(-30, 50, "配合设置减速带和警示标志", unit="nanniu"), report(-12), Act("pass", t(-10)),
               Act("close", t(-9), by="leader"), leader="leader", co=("nanniu",), source_ref="人大建议第12号",
               materials="整治情况报告"),
        handed(sup, S.SUPERIOR, "课后服务全覆盖", "jyj", -20, 15, sign(-19), report(-1), leader="leader",
               materials="课后服务开展情况统计表"),
        handed(sup, S.MEETING, "校园食品安全“护苗”行动", "jyj", -3, 40, sign(-2),
               milestones=(("完成全县学校食堂自查", t(2)),), content="全县中小学和幼儿园食堂全覆盖检查"),
        handed(sup, S.CPPCC, "中小学心理健康教育", "jyj", -30, 20, sign(-29), fb(-15, 50, "配齐专职心理教师12名"),
               report(-5), Act("pass", t(-2)), leader="leader", source_ref="政协提案第8号"),
        handed(sup, S.SUPERIOR, "经济普查数据质量核查", "tjj", -15, 18, sign(-14), fb(-7, 35, "已复核普查表1,200份"),
               leader="fgld", milestones=(("完成普查表复核", t(-3)), ("完成质量抽查", t(12)))),
        handed(sup, S.LEADER, "年度预算执行进度督导", "czj", -20, 4, sign(-19), fb(-9, 45, "已约谈支出进度慢的部门6个"),
               Act("extend", t(-2), "部分项目资金待省厅下达", until=t(35)), leader="fgld", warn_days=7),
        handed(sup, S.SUPERIOR, "国库集中支付清理", "czj", -45, -10, sign(-44), report(-6), Act("pass", t(-4)),
               Act("close", t(-3), by="fgld"), leader="fgld", materials="清理情况报告"),
        handed(sup, S.MEETING, "政府债务风险排查", "czj", -28, -2, sign(-27), fb(-10, 80, "排查完毕，正在汇总"),
               leader="fgld", level=Matter.Level.MAJOR, reviewed=True),
        handed(sup, S.SUPERIOR, "统计联网直报平台数据审核", "tjj", -10, 30, sign(-9), leader="fgld"),
        # ---- supervised matters of units without a demo account: handed down, not signed for yet
        handed(sup, S.SUPERIOR, "美丽乡村示范村创建", "xinchengpu", -3, 40, leader="leader"),
        handed(sup, S.LEADER, "河道“清四乱”专项整治", "xipingle", -25, -1, leader="leader",
               urgency=Matter.Urgency.CRITICAL),
        handed(sup, S.SUPERIOR, "安全生产大检查", "xinan", -5, 1, urgency=Matter.Urgency.URGENT),
        Spec(kind=sup, source=S.MEETING, title="冬季清洁取暖改造", lead="nanlou", registered=t(-1), deadline=t(30)),
        Spec(kind=sup, source=S.LEADER, title="集贸市场提升改造", lead="quyangqiao", registered=t(-4), deadline=t(35),
             leader="leader", reviewed=True),
        handed(sup, S.SUPERIOR, "高素质农民培训", "beizaoxian", -10, 20),
        handed(sup, S.MEETING, "重点招商项目签约落地", "zsj", -15, 12, leader="leader", level=Matter.Level.MAJOR,
               reviewed=True),
        handed(sup, S.SUPERIOR, "规上工业企业培育", "gxj", -20, 3),
        handed(sup, S.LEADER, "农村饮水安全巡查", "swj", -30, -7, leader="leader"),
        Spec(kind=sup, source=S.NPC, title="基层医疗机构服务能力提升", lead="wsj", registered=t(-2), deadline=t(38),
             source_ref="人大建议第5号"),
        handed(sup, S.SUPERIOR, "电信网络诈骗防范宣传", "gaj", -8, 28),
        # ---- rectification items (整改事项)
        handed(rect, S.INSPECTION, "村内垃圾清运不及时", "nanniu", -12, 8, sign(-11),
               fb(-4, 50, "已增配保洁员6名，每日清运", attach=True), measures="增配保洁员，建立日清运台账"),
        handed(rect, S.COMPLAINT, "集贸市场占道经营", "nanniu", -20, -3, sign(-18), measures="划定临时摊位，专人巡查"),
        handed(rect, S.AUDIT, "教育经费专户管理不规范", "jyj", -30, 10, sign(-29), report(-4), Act("pass", t(-1)),
               Act("close", t(0)), source_ref=f"正审报〔{today.year}〕3号", materials="整改报告",
               measures="撤并账户，完善专户管理制度"),
        handed(rect, S.EVALUATION, "课后服务收费公示不到位", "jyj", -6, 2, sign(-5),
               measures="在校门口和网站公示收费标准"),
        handed(rect, S.AUDIT, "统计调查经费结余未清理", "tjj", -30, -6, sign(-29), report(-2), materials="清理报告"),
        handed(rect, S.AUDIT, "专项资金拨付滞后", "czj", -25, 5, sign(-24), report(-3), Act("pass", t(-1)),
               materials="资金拨付明细"),
        handed(rect, S.INSPECTION, "政务公开栏信息更新不及时", "zfb", -2, 30),
        handed(rect, S.COMPLAINT, "养殖场异味扰民", "hbj", -18, -4, measures="督促养殖场加装除臭设施"),
        handed(rect, S.INSPECTION, "餐饮服务单位后厨卫生", "syjj", -4, 3),
        Spec(kind=rect, source=S.EVALUATION, title="农贸市场计量器具检定", lead="scb", registered=t(-3),
             deadline=t(26), reviewed=True),
    ]


def tiny_pdf(line: str) -> bytes:
    """A one-page PDF showing one ASCII line, with a correct cross-reference table."""
    text = line.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
              b"/Resources << /Font << /F1 5 0 R >> >> >>",
              b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
              b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def _uploads(matter: Matter, act: Act) -> list[SimpleUploadedFile]:
    if not act.attach:
        return []
    if act.what == "report":
        name = (matter.material_list or ["办结报告"])[0]
        return [SimpleUploadedFile(f"{name}.pdf", tiny_pdf(f"{matter.number} completion report"),
                                   content_type="application/pdf")]
    text = f"{matter.number} {matter.title}\n{act.on:%Y年%m月%d日} 进展：{act.text}\n"
    return [SimpleUploadedFile("进展情况.txt", text.encode("utf-8"), content_type="text/plain")]


def _walk(ctx: Ctx, units: dict[str, Unit], spec: Spec, rng: np.random.Generator) -> Matter:
    office = ctx.office
    leader = ctx.sessions[spec.leader].user if spec.leader else None
    liaison = LIAISONS[int(rng.integers(len(LIAISONS)))]
    data = MatterInput(
        kind=spec.kind, title=spec.title, lead_unit=units[spec.lead], deadline=spec.deadline, source=spec.source,
        source_ref=spec.source_ref, level=spec.level, urgency=spec.urgency, content=spec.content,
        leader_id=leader.pk if leader else None, co_units=[units[c] for c in spec.co], liaison=liaison,
        liaison_phone=f"1{int(rng.integers(30, 90))}{int(rng.integers(10**7, 10**8))}", materials=spec.materials,
        measures=spec.measures, warn_days=spec.warn_days,
        milestones=tuple(MilestoneInput(title=name, due=due) for name, due in spec.milestones))
    m = matter_register(actor=office.user, scope=office.scope, data=data, today=spec.registered)
    if spec.reviewed:
        m = matter_review(actor=office.user, scope=office.scope, matter=m, today=spec.registered)
    if spec.assigned is None:
        return m
    m = matter_assign(actor=office.user, scope=office.scope, matter=m, today=spec.assigned)
    member = ctx.sessions[MEMBERS[spec.lead]] if spec.acts else office
    for act in spec.acts:
        m = _act(ctx, units, m, act, member)
    return m


def _act(ctx: Ctx, units: dict[str, Unit], m: Matter, act: Act, member: Session) -> Matter:
    office, on = ctx.office, act.on
    if act.what == "sign":
        return matter_sign(actor=member.user, scope=member.scope, matter=m, today=on)
    if act.what in ("feedback", "report"):
        who = ctx.sessions[MEMBERS[act.unit]] if act.unit else member
        unit = units[act.unit] if act.unit else m.lead_unit
        milestone = list(m.milestones.all())[act.milestone] if act.milestone is not None else None
        matter_feedback(actor=who.user, scope=who.scope, matter=m, unit=unit, text=act.text, progress=act.progress,
                        milestone=milestone, final=act.what == "report", uploads=_uploads(m, act), today=on)
        return Matter.objects.get(pk=m.pk)
    if act.what in ("pass", "return"):
        return matter_check(actor=office.user, scope=office.scope, matter=m, passed=act.what == "pass",
                            reason=act.text, today=on)
    if act.what == "close":
        closer = ctx.sessions[act.by] if act.by else office
        return matter_close(actor=closer.user, scope=closer.scope, matter=m, today=on)
    if act.what == "extend":
        assert act.until is not None
        extension_request(actor=member.user, scope=member.scope, matter=m, new_deadline=act.until, reason=act.text,
                          today=on)
        return Matter.objects.get(pk=m.pk)
    if act.what == "approve":
        assert m.leader_id is not None
        leader = next(s for s in ctx.sessions.values() if s.user.pk == m.leader_id)
        ext = m.extensions.get(status=Extension.Status.PENDING)
        extension_decide(actor=leader.user, scope=leader.scope, extension=ext, approve=True, today=on,
                         note="同意延期，请抓紧推进")
        return Matter.objects.get(pk=m.pk)
    raise ValueError(f"unknown step {act.what}")  # pragma: no cover


def supervision_history(ctx: Ctx, units: dict[str, Unit], rng: np.random.Generator) -> int:
    """The 2024 matters; returns how many."""
    for spec in HISTORY:
        _walk(ctx, units, spec, rng)
    return len(HISTORY)


def supervision_live(ctx: Ctx, units: dict[str, Unit], rng: np.random.Generator, today: dt.date) -> int:
    """The matters around ``today``; returns how many."""
    from jixiao.supervision.services.reminders import notices_issue

    specs = live_specs(today)
    for spec in specs:
        _walk(ctx, units, spec, rng)
    # This morning's reminder run (催办), as the scheduler would have made it: the units' inboxes
    # show their notices, and the matters escalated to a leader show his.
    notices_issue(today=today)
    return len(specs)
