from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jixiao.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from jixiao.org import auth_events

        auth_events.connect()
