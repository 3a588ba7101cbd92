"""Group pages: thin — parse, call one service or query, render. A group the signed-in
account is not in is a 404, exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from circleback.accounts.models import User
from circleback.groups import queries, services
from circleback.groups.forms import (
    AnswerForm,
    AskForm,
    BoardFilterForm,
    GrantForm,
    GroupForm,
    OpenForm,
    PostForm,
)
from circleback.groups.models import IntroRequest, Part
from circleback.people.lookups import CANDIDATES as PICKER_CANDIDATES
from circleback.people.lookups import resolve_person
from circleback.people.models import Person
from circleback.people.queries import get_person_for
from circleback.web.helpers import (
    redirect_back,
    refusal_as_message,
    refusal_on_form,
    request_owner,
)
from circleback.web.widgets import PersonInput

# Rows a list on these pages shows at a time; each list pages by its own parameter
# (?board=2 on a group's page, ?opened= and ?invitations= too; ?asked= and ?sent= on the
# requests page), as the loops pages do.
PER_PAGE = 50


def _page(request: HttpRequest, rows: QuerySet[Any], param: str) -> Page[Any]:
    """One page of `rows`, counted and sliced in the database; a bad page number is page 1
    (or the last page when it's past the end)."""
    return Paginator(rows, PER_PAGE).get_page(request.GET.get(param))


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            group = services.group_create(
                owner=owner,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, f"{group.name} is ready: invite its members.")
            return redirect("groups:show", group.uuid)
    return render(
        request,
        "groups/group_list.html",
        {
            "memberships": queries.memberships_of(owner),
            "form": form,
            "waiting": queries.requests_of(
                owner=owner, direction=queries.ASKED_OF_YOU, state=IntroRequest.State.ASKED
            ).count(),
        },
        status=400 if form.errors else 200,
    )


def _show(request: HttpRequest, uuid: str, **extra: object) -> HttpResponse:
    owner = request_owner(request)
    membership = queries.get_membership_for(owner, uuid)
    group = membership.group
    mine = _page(request, queries.openings_of(owner, group), "mine")
    members = queries.group_members(group)
    opened = _page(request, queries.opened_list(viewer=owner, group=group), "opened")
    board_filter = BoardFilterForm(request.GET)
    if board_filter.is_valid():
        rows = queries.board_list(group=group, **board_filter.filters())
    else:  # said on the form; nothing listed rather than posts it did not ask for
        rows = queries.board_list(group=group).none()
    posts = _page(request, rows, "board")
    invitations = (
        _page(request, queries.invitations_newest_first(owner=owner, group=group), "invitations")
        if membership.is_organiser
        else None
    )
    show_url = reverse("groups:show", args=[group.uuid])
    context = {
        "group": group,
        "membership": membership,
        "members": _page(request, members, "members"),
        # Who helped with one of your posts: anyone else in the group, whichever page.
        "others": members.exclude(owner=owner),
        "opened": queries.opened_as(list(opened), viewer=owner, group_ids=[group.pk]),
        "opened_page": opened,
        "board_filter": board_filter,
        "board_filtered": any(request.GET.get(k) for k in board_filter.fields),
        "mine": mine,
        "open_form": OpenForm(),
        "grant_form": GrantForm(),
        "post_form": PostForm(),
        "board": [queries.board_entry(p, viewer=owner) for p in posts],
        "board_page": posts,
        "invitations": queries.invitation_rows(invitations) if invitations is not None else [],
        "invitations_page": invitations,
        # The page's own address, for its pagers and the forms that come back to it: it is
        # also the answer to a POST (a new invitation link), whose URL is the form's.
        "show_url": show_url,
        "this_page": show_url + (f"?{request.GET.urlencode()}" if request.GET else ""),
        "balances": queries.board_balances(viewer=owner, group=group),
        **extra,
    }
    status = 400 if board_filter.errors else 200
    return render(request, "groups/group_show.html", context, status=status)


@login_required
@require_GET
def group_show(request: HttpRequest, uuid: str) -> HttpResponse:
    return _show(request, uuid)


@login_required
@require_POST
def group_invite(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    with refusal_as_message(request):
        _invitation, token = services.invitation_create(owner=owner, group=group)
        link = request.build_absolute_uri(reverse("groups:join", args=[token]))
        return _show(request, uuid, invite_link=link)
    return redirect("groups:show", group.uuid)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, uuid: str, invitation: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    with refusal_as_message(request):
        services.invitation_revoke(owner=owner, group=group, invitation_uuid=invitation)
        messages.success(request, "Withdrawn: whoever opens that link is told to ask again.")
    return redirect_back(request, reverse("groups:show", args=[group.uuid]) + "#invitations-h")


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: HttpRequest, token: str) -> HttpResponse:
    owner = request_owner(request)
    try:
        invitation = services.invitation_find(token=token)
    except ValidationError as exc:
        return render(request, "groups/join.html", {"error": " ".join(exc.messages)}, status=404)
    if request.method == "POST":
        with refusal_as_message(request):
            membership = services.invitation_accept(owner=owner, token=token)
            messages.success(request, f"Welcome to {membership.group.name}.")
            return redirect("groups:show", membership.group.uuid)
        return redirect("groups:list")
    return render(request, "groups/join.html", {"group": invitation.group})


@login_required
@require_POST
def group_leave(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    name = group.name
    services.group_leave(owner=owner, group=group)
    messages.success(request, f"You left {name}; everyone you had opened to it is closed.")
    return redirect("groups:list")


@login_required
@require_POST
def group_add(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    username = request.POST.get("username", "").strip()[:150]
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        messages.error(request, f"There is no account called “{username}” on this server.")
    else:
        with refusal_as_message(request):
            services.member_add(
                owner=owner, group=group, user=user, organiser=bool(request.POST.get("organiser"))
            )
            messages.success(request, f"{queries.display_name(user)} is in {group.name}.")
    return redirect("groups:show", group.uuid)


def _person_to_open(request: HttpRequest, form: OpenForm) -> Person:
    """The person the picker chose (its id, sent beside the typed name), one chosen from the
    list of several of that name, or the only one the typed name or email finds; otherwise
    a refusal that says what to do, with the candidates to choose from."""
    owner = request_owner(request)
    chosen = request.POST.get("person_choice", "")
    if queries.parse_uuid(chosen) is not None:
        return get_person_for(owner, chosen)
    value = str(form.cleaned_data["person"]).strip()
    if not value:
        raise ValidationError({"person": "Choose the person to open: start typing their name."})
    widget = form.fields["person"].widget
    if isinstance(widget, PersonInput) and widget.typed is not None:  # chosen in the picker
        return get_person_for(owner, value)
    person, error, candidates = resolve_person(owner, value, picker=True)
    if person is None:
        form.candidates = candidates[:PICKER_CANDIDATES]
        raise ValidationError({"person": error})
    return person


def _opening_target(request: HttpRequest, form: OpenForm) -> dict[str, object]:
    what = form.cleaned_data["what"]
    if what == "person":
        return {"person": _person_to_open(request, form)}
    if what == "list":
        return {"contact_list": form.cleaned_data["contact_list"]}
    return {"tag": form.cleaned_data["tag"]}


@login_required
@require_POST
def group_open(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    form = OpenForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.opening_open(
                owner=owner,
                group=group,
                consent=form.cleaned_data["consent"],
                shows_title=form.cleaned_data["shows_title"],
                shows_closeness=form.cleaned_data["shows_closeness"],
                **_opening_target(request, form),  # type: ignore[arg-type]
            )
            messages.success(request, f"Opened to {group.name}.")
            return redirect("groups:show", group.uuid)
    response = _show(request, uuid, open_form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def group_close(request: HttpRequest, uuid: str, opening: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    row = queries.get_opening_for(owner, group, opening)
    with refusal_as_message(request):
        services.opening_end(owner=owner, group=group, opening=row)
        messages.success(request, "Done: the group sees the change now.")
    return redirect_back(request, reverse("groups:show", args=[group.uuid]) + "#mine-h")


@login_required
@require_http_methods(["GET", "POST"])
def group_ask(request: HttpRequest, uuid: str, person: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    opened = queries.get_opened(viewer=owner, group=group, person_uuid=person)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.intro_request_ask(
                owner=owner, group=group, person_uuid=person, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                f"Asked {opened.member}. You'll see the answer on your requests page.",
            )
            return redirect("groups:requests")
    return render(
        request,
        "groups/ask.html",
        {"group": group, "opened": opened, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    return render(
        request,
        "groups/requests.html",
        {
            "to_answer": _page(request, queries.requests_to_answer(owner=owner), "asked"),
            "sent": _page(request, queries.requests_sent(owner=owner), "sent"),
            "answer_form": AnswerForm(),
        },
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    row = queries.get_request_for_member(owner, uuid)
    form = AnswerForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    with refusal_as_message(request):
        services.intro_request_answer(owner=owner, request=row, accept=accept, answer=answer)
        if accept:
            messages.success(
                request,
                f"Accepted: {row.person_name} is now a referral for "
                f"{queries.display_name(row.seeker)}. Your loops remind you to tell "
                f"{row.person_name} to expect a call.",
            )
        else:
            messages.success(request, "Declined; they'll be told kindly.")
    # Answered from the loops page or the requests page: back to where it was.
    return redirect_back(request, reverse("groups:requests"))


@login_required
@require_POST
def coach_grant(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Name the coach and choose at least one part.")
        return redirect("groups:show", group.uuid)
    coach = User.objects.filter(username__iexact=form.cleaned_data["coach"]).first()
    with refusal_as_message(request):
        if coach is None:
            raise ValidationError(f"No one called “{form.cleaned_data['coach']}” is in the group.")
        services.coach_grant(
            owner=owner, coach=coach, group=group, parts=form.cleaned_data["parts"]
        )
        messages.success(request, f"{queries.display_name(coach)} can now see what you chose.")
    return redirect("groups:coaching")


@login_required
@require_POST
def coach_revoke(request: HttpRequest, username: str) -> HttpResponse:
    owner = request_owner(request)
    coach = User.objects.filter(username__iexact=username).first()
    if coach is None or not queries.grants_given(owner=owner).filter(coach=coach).exists():
        raise Http404("No such coach.")  # not yours: exactly as if no such account
    with refusal_as_message(request):
        services.coach_revoke(owner=owner, coach=coach)
        messages.success(request, f"{queries.display_name(coach)} can no longer see anything.")
    return redirect("groups:coaching")


@login_required
@require_GET
def coaching(request: HttpRequest) -> HttpResponse:
    owner = request_owner(request)
    from circleback.groups.coaching import coach_dashboard, view_log

    return render(
        request,
        "groups/coaching.html",
        {
            "given": queries.grants_given(owner=owner),
            "log": view_log(owner=owner),
            "clients": coach_dashboard(coach=owner),
            "parts": dict(Part.choices),
        },
    )


@login_required
@require_GET
def coach_member(request: HttpRequest, username: str) -> HttpResponse:
    from circleback.groups.coaching import coach_member_view

    view = coach_member_view(coach=request_owner(request), username=username)
    return render(request, "groups/coach_member.html", {"view": view})


@login_required
@require_POST
def board_post(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    form = PostForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            services.board_post(owner=owner, group=group, **form.cleaned_data)
            messages.success(request, "On the board.")
            return redirect("groups:show", group.uuid)
    response = _show(request, uuid, post_form=form)
    response.status_code = 400
    return response


@login_required
@require_POST
def board_close(request: HttpRequest, uuid: str, post: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    row = queries.get_post_for(owner, group, post)
    helper = User.objects.filter(username__iexact=request.POST.get("helper", "")[:150]).first()
    with refusal_as_message(request):
        if helper is None:
            raise ValidationError("Choose the member who helped.")
        services.board_close(
            owner=owner, post=row, helper=helper, thanks=request.POST.get("thanks", "")[:600]
        )
        messages.success(request, "Closed with your thanks; it's in both your ledgers.")
    return redirect("groups:show", group.uuid)


@login_required
@require_POST
def balance_share(request: HttpRequest, uuid: str) -> HttpResponse:
    owner = request_owner(request)
    group = queries.get_group_for(owner, uuid)
    services.balance_share(owner=owner, group=group, shown=request.POST.get("shown") == "1")
    return redirect("groups:show", group.uuid)
