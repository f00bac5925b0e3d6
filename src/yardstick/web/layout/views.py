"""The start page: the plan to work on (the only one, or a list), or how to add one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yardstick.web.plans.models import Plan


def home(request: HttpRequest) -> HttpResponse:
    plans = list(Plan.objects.order_by("code"))
    if len(plans) == 1:
        return redirect("dashboard:overview", plans[0].code)
    return render(request, "layout/home.html", {"plans": plans})
