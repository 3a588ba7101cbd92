"""Web views: thin — parse input, call one service or query, render."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from circleback.accounts.models import User
from circleback.accounts.services import user_create
from circleback.people.queries import PeopleFilter, people_list, with_details
from circleback.web.forms import WelcomeForm

PAGE_SIZE = 50


def _first_run_allowed(request: HttpRequest) -> bool:
    """The owner account may be created from the browser only on a fresh, loopback-bound install."""
    if not getattr(settings, "CIRCLEBACK_WELCOME_ENABLED", False):
        return False
    try:
        if not ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback:
            return False
    except ValueError:
        return False
    return not User.objects.exists()


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if _first_run_allowed(request):
            return redirect("welcome")
        return super().get(request, *args, **kwargs)


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest) -> HttpResponse:
    if not _first_run_allowed(request):
        raise Http404("Circleback is already set up.")
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else "password1"
                for error in errors:
                    form.add_error(target, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}. Your network starts here.")
            return redirect("home")
    return render(request, "web/welcome.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    people = with_details(people_list(owner=request.user, filters=PeopleFilter(query=query)))  # type: ignore[arg-type]
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/home.html", {"page": page, "query": query})
