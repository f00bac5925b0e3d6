from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "yardstick.web.jobs"
    label = "jobs"
    verbose_name = "Jobs"
