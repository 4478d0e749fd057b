from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    name = "jixiao.benchmarks"
    label = "benchmarks"
    verbose_name = "性能基准"
