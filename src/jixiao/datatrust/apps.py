from django.apps import AppConfig


class DatatrustConfig(AppConfig):
    name = "jixiao.datatrust"
    label = "datatrust"
    verbose_name = "数据指标库与数据质量"
