from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "jixiao.outcomes"
    label = "outcomes"
    verbose_name = "结果运用"
