from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "jixiao.supervision"
    label = "supervision"
    verbose_name = "督办"
