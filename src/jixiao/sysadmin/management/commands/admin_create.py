"""``manage.py admin_create <username> --role system_admin|security_admin|audit_admin``: one of the
three administrators, with its account — how a new installation gets its first system
administrator (there are no default accounts). The password is read from the environment variable
named by ``--password-env``, else asked twice at the terminal; never from the command line, where
the shell's history and the process list would keep it."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.core.errors import ServiceError
from jixiao.org.models import Organisation
from jixiao.org.services import THREE_ADMINS, administrator_create


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（三员分立，一人一职）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[str(r) for r in THREE_ADMINS])
        parser.add_argument("--organisation", default="", help="组织编码（安装中有多个组织时必填）")
        parser.add_argument("--password-env", default="", help="从该环境变量读取密码（不在命令行中给出密码）")

    def handle(self, *args: Any, **opts: Any) -> None:
        org = None
        if opts["organisation"]:
            org = Organisation.objects.filter(code=opts["organisation"]).first()
            if org is None:
                raise CommandError(f"没有编码为 {opts['organisation']} 的组织")
        if opts["password_env"]:
            password = os.environ.get(opts["password_env"], "")
            if not password:
                raise CommandError(f"环境变量 {opts['password_env']} 未设置或为空")
        else:
            password = getpass.getpass("密码：")
            if getpass.getpass("再次输入密码：") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            user = administrator_create(actor=None, username=opts["username"], password=password, role=opts["role"],
                                        organisation=org)
        except ServiceError as e:
            raise CommandError(e.message) from None
        self.stdout.write(f"已创建 {user.get_username()}（{user.first_name}）；首次登录时须绑定两步验证（生产环境）")
