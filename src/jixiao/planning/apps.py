from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "jixiao.planning"
    label = "planning"
    verbose_name = "目标与计划"
