from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "jixiao.evaluations"
    label = "evaluations"
    verbose_name = "测评"
