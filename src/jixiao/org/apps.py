from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jixiao.org"
    label = "org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from jixiao.org import auth_events, checks  # noqa: F401 - registers the deployment checks

        auth_events.connect()
