from django.apps import AppConfig


class SchemesConfig(AppConfig):
    name = "jixiao.schemes"
    label = "schemes"
    verbose_name = "考核方案"
