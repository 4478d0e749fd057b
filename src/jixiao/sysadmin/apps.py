from django.apps import AppConfig


class SysadminConfig(AppConfig):
    name = "jixiao.sysadmin"
    label = "sysadmin"
    verbose_name = "系统管理"

    def ready(self) -> None:
        from jixiao.sysadmin import mfa

        mfa.connect()
