from django.apps import AppConfig


class ManualConfig(AppConfig):
    name = "jixiao.manual"
    label = "manual"
    verbose_name = "使用说明"
