from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "yardstick.web.datasets"
    label = "datasets"
    verbose_name = "Datasets and batches (資料集 / 批次)"
