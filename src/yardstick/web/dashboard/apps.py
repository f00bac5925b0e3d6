from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "yardstick.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard (總覽)"
