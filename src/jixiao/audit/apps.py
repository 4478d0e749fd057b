from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jixiao.audit"
    label = "audit"
    verbose_name = "审计"
