"""The security checklist (/work/shared/SECURITY.md, 38 items): which automated checks stand for
which item. A check is a test whose name starts ``test_item_NN_`` (NN the item's number); an item
holds when at least one of its checks ran and every one that ran passed. ``make test`` prints
``security checklist: N/38 items hold`` (the root conftest's pytest hook counts them)."""

from __future__ import annotations

import re

ITEMS = 38
TITLES = {
    1: "密码策略", 2: "用户名不区分大小写唯一", 3: "登录失败锁定", 4: "会话超时与注销", 5: "会话标识与Cookie",
    6: "多因素认证", 7: "TLS 与 check --deploy", 8: "三员分立", 9: "角色×URL 矩阵", 10: "对象级范围",
    11: "防批量赋值", 12: "无默认账号", 13: "数据库最小权限", 14: "安全事件审计", 15: "审计记录要素",
    16: "日志无敏感信息", 17: "审计只增与哈希链", 18: "审计保存期", 19: "审计失败即拒绝", 20: "个人信息 SM4 加密",
    21: "HMAC-SM3 封印", 22: "国密算法已知答案测试", 23: "备份与恢复", 24: "剩余信息保护", 25: "个人信息最小化与脱敏",
    26: "电子表格上传关口", 27: "导出公式注入", 28: "SSRF", 29: "DEBUG、CSP、nosniff、CSRF", 30: "限流",
    31: "依赖审计", 32: "API 模糊测试", 33: "一票一令牌", 34: "选票不可关联", 35: "乐观锁", 36: "关闭考核期",
    37: "导入全有或全无", 38: "公式沙箱",
}
# Items whose checks pass but cover only part of the item: not counted as holding until the rest is
# built, and named in the summary.
PARTIAL: dict[int, str] = {}
_NAME = re.compile(r"(?:^|::)test_item_(\d{2})_")


def item_of(nodeid: str) -> int | None:
    """The checklist item a test stands for, from its name (``…::test_item_07_check_deploy``)."""
    m = _NAME.search(nodeid.split("[", 1)[0])
    if m is None:
        return None
    n = int(m.group(1))
    return n if 1 <= n <= ITEMS else None


def tally(outcomes: dict[str, str]) -> tuple[list[int], list[int]]:
    """(items holding, items with a failing check) from test node id → "passed"/"failed"/"skipped"."""
    passed: set[int] = set()
    failed: set[int] = set()
    for nodeid, outcome in outcomes.items():
        item = item_of(nodeid)
        if item is None:
            continue
        if outcome == "passed":
            passed.add(item)
        elif outcome == "failed":
            failed.add(item)
    return sorted(passed - failed - PARTIAL.keys()), sorted(failed)
