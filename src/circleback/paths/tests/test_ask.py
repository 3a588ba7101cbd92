"""The draft's "I've asked" button opens the introduction request's loop."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from circleback.loops.models import Lead, LoopStep
from circleback.loops.services.loops import loop_advance
from circleback.loops.services.permissions import permission_grant
from circleback.paths.graph import cache_clear
from circleback.paths.tests.factories import network

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
K = LoopStep.Kind


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache_clear()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _path(*people) -> str:
    return ",".join(str(p.uuid) for p in people)


def test_the_draft_offers_to_open_the_loop_and_warns_without_permission(alice):
    net = network(alice)
    response = client_for(alice).get(
        reverse("paths:draft"), {"path": _path(net.maya, net.sam, net.dana)}
    )
    html = unescape(response.content.decode())
    assert f'action="{reverse("paths:ask")}"' in html and 'method="post"' in html
    assert "I've asked Maya Rosen — remind me to follow up" in html
    assert "You haven't recorded permission to use Maya Rosen's name with Globex" in html


def test_the_warning_goes_once_permission_is_recorded(alice):
    net = network(alice)
    permission_grant(owner=alice, person=net.maya, organisation=net.globex)
    response = client_for(alice).get(reverse("paths:draft"), {"path": _path(net.maya, net.sam)})
    assert "haven't recorded permission" not in unescape(response.content.decode())


def test_a_path_of_one_has_no_introduction_to_ask_for(alice):
    net = network(alice)
    html = unescape(
        client_for(alice).get(reverse("paths:draft"), {"path": _path(net.sam)}).content.decode()
    )
    assert "remind me to follow up" not in html and "haven't recorded permission" not in html
    response = client_for(alice).post(reverse("paths:ask"), {"path": _path(net.sam)})
    assert response.status_code == 302 and not LoopStep.objects.exists()


def test_asking_opens_the_loop_and_it_shows_on_the_persons_page(alice):
    net = network(alice)
    client = client_for(alice)
    response = client.post(
        reverse("paths:ask"), {"path": _path(net.maya, net.sam, net.dana)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("loops:loop_list")
    html = response.content.decode()
    assert "Loop opened: follow up with Maya Rosen about an introduction to Sam Okafor" in html
    step = LoopStep.objects.get(owner=alice, kind=K.INTRO_REQUEST)
    assert (step.person, step.about, step.organisation) == (net.maya, net.sam, net.globex)
    assert step.note == "On the way to Dana Li"
    assert step.due_at == NOW + dt.timedelta(days=3)
    page = unescape(client.get(reverse("person", args=[net.maya.uuid])).content.decode())
    assert "Follow up: you asked Maya Rosen to introduce you to Sam Okafor" in page
    assert "They'll introduce you" in page and "They declined" in page
    assert reverse("loops:step_advance", args=[step.uuid]) in page


def test_agreeing_from_the_loops_page_opens_the_lead(alice):
    net = network(alice)
    client = client_for(alice)
    client.post(reverse("paths:ask"), {"path": _path(net.maya, net.sam)})
    step = LoopStep.objects.get(owner=alice, kind=K.INTRO_REQUEST)
    response = client.post(reverse("loops:step_advance", args=[step.uuid]), {"to": "agreed"})
    assert response.status_code == 302
    lead = Lead.objects.get(owner=alice)
    assert (lead.referrer, lead.referred, lead.organisation) == (net.maya, net.sam, net.globex)
    contact = LoopStep.objects.get(lead=lead, done_at__isnull=True)
    assert contact.kind == K.LEAD_CONTACT
    assert loop_advance(owner=alice, step=contact).kind == K.LEAD_MEET


def test_asking_twice_says_the_loop_is_already_open(alice):
    net = network(alice)
    client = client_for(alice)
    path = _path(net.maya, net.sam)
    client.post(reverse("paths:ask"), {"path": path})
    response = client.post(reverse("paths:ask"), {"path": path}, follow=True)
    assert "You already asked Maya Rosen to introduce you to Sam Okafor" in (
        response.content.decode()
    )
    assert response.redirect_chain[-1][0].startswith(reverse("paths:draft"))
    assert LoopStep.objects.count() == 1
    html = unescape(response.content.decode())
    assert "Already asked" in html and "remind me to follow up" not in html


def test_an_outsider_gets_404_and_nothing_is_written(alice, charlie):
    net = network(alice)
    response = client_for(charlie).post(reverse("paths:ask"), {"path": _path(net.maya, net.sam)})
    assert response.status_code == 404
    assert not LoopStep.objects.exists()


def test_a_broken_path_is_refused_with_a_message(alice):
    net = network(alice)
    client = client_for(alice)
    for bad in (_path(net.maya, net.dana), "garbage", ""):
        response = client.post(reverse("paths:ask"), {"path": bad}, follow=True)
        assert response.status_code == 200
        assert "form-error" in response.content.decode() or "message-error" in (
            response.content.decode()
        )
    assert not LoopStep.objects.exists()


def test_asking_is_post_only_and_csrf_protected(alice):
    net = network(alice)
    path = _path(net.maya, net.sam)
    assert client_for(alice).get(reverse("paths:ask"), {"path": path}).status_code == 405
    strict = client_for(alice, enforce_csrf_checks=True)
    assert strict.post(reverse("paths:ask"), {"path": path}).status_code == 403
    assert not LoopStep.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(alice, client):
    net = network(alice)
    response = client.post(reverse("paths:ask"), {"path": _path(net.maya, net.sam)})
    assert response.status_code == 302 and "login" in response.url
    assert not LoopStep.objects.exists()
