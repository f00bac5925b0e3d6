from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "yardstick.web.plans"
    label = "plans"
    verbose_name = "Plans (中程施政計畫)"
