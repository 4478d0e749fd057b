from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jixiao.supervision"
    label = "supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        from jixiao.supervision import checks  # noqa: F401 - registers the reminder settings checks
