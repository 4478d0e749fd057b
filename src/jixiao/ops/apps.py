from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "jixiao.ops"
    label = "ops"
    verbose_name = "运维"
