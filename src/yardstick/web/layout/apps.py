from django.apps import AppConfig


class LayoutConfig(AppConfig):
    name = "yardstick.web.layout"
    label = "layout"
    verbose_name = "Layout"
