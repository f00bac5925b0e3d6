from django.apps import AppConfig


class ValuesConfig(AppConfig):
    name = "yardstick.web.values"
    label = "values"
    verbose_name = "Entered and computed values"
