from django.apps import AppConfig


class OrgUnitsConfig(AppConfig):
    name = "yardstick.web.orgunits"
    label = "orgunits"
    verbose_name = "Org units (機關)"
