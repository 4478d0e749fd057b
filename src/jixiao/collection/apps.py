from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "jixiao.collection"
    label = "collection"
    verbose_name = "电子台帐"
