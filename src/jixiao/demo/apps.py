from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jixiao.demo"
    label = "demo"
    verbose_name = "演示数据"

    def ready(self) -> None:
        from jixiao.demo import checks  # noqa: F401 - registers the deployment check
