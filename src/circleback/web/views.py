"""Web views for the shell: sign-in, first run, the home dashboard and settings.

Views are thin: parse input, call one service or query, render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from circleback.accounts.models import User
from circleback.accounts.services import (
    ACCOUNT_FIELDS,
    FirstRunClosed,
    account_update,
    first_account_create,
)
from circleback.insights.queries.health import first_steps
from circleback.journal.forms import LogForm
from circleback.journal.queries import interactions_per_week, journal_recent
from circleback.operations.erase import account_erase, account_erase_plan
from circleback.ops.client import is_local_visitor, is_loopback
from circleback.people.queries import people_recently_added
from circleback.web.charts import weekly_chart
from circleback.web.forms import DeleteAccountForm, ProfileForm, WelcomeForm
from circleback.web.helpers import refusal_on_form


def _first_run_allowed(request: HttpRequest) -> bool:
    """The owner account may be created from the browser only on a fresh, loopback-bound
    install, by a visitor on this machine (not one a proxy on this machine forwards)."""
    if not getattr(settings, "CIRCLEBACK_WELCOME_ENABLED", False):
        return False
    if not is_local_visitor(request):
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
    if (
        not getattr(settings, "CIRCLEBACK_WELCOME_ENABLED", False)
        or not is_loopback(request.META.get("REMOTE_ADDR", ""))
        or User.objects.exists()
    ):
        raise Http404("Circleback is already set up.")
    if not is_local_visitor(request):
        # A proxy on this machine forwards visitors from elsewhere: say how to set up instead.
        return render(request, "web/welcome_refused.html", status=403)
    form = WelcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = first_account_create(
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
            )
        except FirstRunClosed:
            messages.info(request, "Circleback was set up a moment ago: sign in with its account.")
            return redirect("login")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else "password1"
                for error in errors:
                    form.add_error(target, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, f"Welcome, {user.first_name or user.username}. Your network starts here."
            )
            return redirect("home")
    return render(request, "web/welcome.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: what happened lately, quick capture, the agenda and a weekly chart."""
    owner: User = request.user  # type: ignore[assignment]
    recent = journal_recent(owner, limit=8)
    added = people_recently_added(owner, limit=5)
    has_people = bool(added)
    chart = weekly_chart(interactions_per_week(owner=owner, weeks=26))
    log_form = LogForm(prefix="log", initial={"kind": "meeting"})
    steps = first_steps(owner)
    return render(
        request,
        "web/home.html",
        {
            "recent": recent,
            "added": added,
            "has_people": has_people,
            "chart": chart,
            "log_form": log_form,
            "people_count": steps.people_count,
            "first_steps": None if steps.done else steps,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """Profile (name, time zone, mode) and password, each its own form on one page."""
    user: User = request.user  # type: ignore[assignment]
    which = request.POST.get("which") if request.method == "POST" else None
    profile = ProfileForm(request.POST if which == "profile" else None, instance=user)
    password = PasswordChangeForm(user, request.POST if which == "password" else None)
    delete = DeleteAccountForm(user, request.POST if which == "delete" else None, prefix="delete")
    status = 200
    if which == "profile":
        if profile.is_valid():
            # The service, as the API's PATCH /settings/account: one rule for the profile
            # (a new time zone moves the next digest to the chosen hour in it). It reads the
            # account afresh: the form already wrote its values onto `user`.
            with refusal_on_form(profile):
                account_update(
                    user=User.objects.get(pk=user.pk),
                    **{name: profile.cleaned_data[name] for name in ACCOUNT_FIELDS},
                )
                messages.success(request, "Profile saved.")
                return redirect("settings")
        status = 400
    elif which == "password":
        if password.is_valid():
            password.save()
            update_session_auth_hash(request, password.user)
            messages.success(request, "Password changed. You stay signed in here.")
            return redirect("settings")
        status = 400
    elif which == "delete":
        if delete.is_valid():
            done = account_erase(user=user)
            logout(request)
            messages.success(request, f"Your account was deleted, with {done.summary()}.")
            return redirect("login")
        status = 400
    context = {
        "profile": profile,
        "password": password,
        "delete": delete,
        "erase_plan": account_erase_plan(user=user),
    }
    return render(request, "web/settings.html", context, status=status)
