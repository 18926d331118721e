"""The "Where does it hurt?" interview: steps rendered on the server, answers in the session, then results."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from painpoint.assessment import questions as q
from painpoint.assessment.knowledge import clinic_knowledge
from painpoint.assessment.steps import BY_SLUG, SESSION_KEY, State, next_step
from painpoint.engine import assess
from painpoint.engine.model import Level
from painpoint.knowledge.models import Condition, Region
from painpoint.knowledge.views import regions_by_area
from painpoint.lib.ratelimit import limit_posts


# Every interview page holds a visitor's symptoms: never_cache sends no-store, so no cache anywhere keeps one.
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    step = next_step(State.load(request.session))
    return redirect("assessment:step", slug=step.slug) if step else redirect("assessment:results")


@never_cache
@limit_posts("interview", "INTERVIEW_RATE")
def step(request: HttpRequest, slug: str) -> HttpResponse:
    current = BY_SLUG.get(slug)
    if current is None:
        raise Http404("No such step")
    state = State.load(request.session)
    steps = state.steps()
    if current not in steps:
        # A step these answers do not need (no warning sign ticked, no injury): go on from where they are.
        return start(request)
    position = steps.index(current)
    # A later step needs the earlier ones: send the visitor to the first one missing.
    missing = next((s for s in steps[:position] if not s.is_complete(state)), None)
    if missing is not None:
        return redirect("assessment:step", slug=missing.slug)
    form_class = current.form_class(state)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            current.apply(state, form.cleaned_data)
            state.save(request.session)
            following = next_step(state)
            if following is None:
                return redirect("assessment:results")
            return redirect("assessment:step", slug=following.slug)
    else:
        form = form_class(initial=current.initial(state))
    selected = list(state.regions)
    if current.slug == "where" and not selected and request.GET.get("region") in q.REGION_CODES:
        # From a region's page: that region starts chosen. Nothing is kept until the visitor goes on.
        selected = [request.GET["region"]]
    context = {
        "step": current,
        "steps": steps,
        "number": position + 1,
        "total": len(steps),
        "state": state,
        "form": form,
        "previous": steps[position - 1] if position else None,
        "areas": regions_by_area() if current.slug == "where" else None,
        "selected": set(selected),
        "chosen_labels": chosen_labels(selected),
    }
    return render(request, "assessment/step.html", context)


@never_cache
def results(request: HttpRequest) -> HttpResponse:
    state = State.load(request.session)
    answers = state.answers()
    if answers is None:
        return start(request)
    knowledge = clinic_knowledge()
    result = assess(answers, knowledge)
    conditions = {c.slug: c for c in Condition.objects.filter(slug__in=[r.slug for r in result.conditions])}
    top = conditions.get(result.conditions[0].slug) if result.conditions else None
    context = {
        "result": result,
        "level": result.triage.code,
        "is_emergency": result.triage == Level.EMERGENCY,
        "is_urgent": result.triage == Level.URGENT,
        "conditions": [(row, conditions.get(row.slug)) for row in result.conditions[:5]],
        "self_care_html": top.section_html("Self-care") if top and result.triage <= Level.APPOINTMENT else "",
        "top": top,
        "answers_text": describe(state),
        "selected_codes": " ".join(state.regions),
    }
    return render(request, "assessment/results.html", context)


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect(reverse("assessment:step", args=["where"]))


def chosen_labels(codes: list[str]) -> list[str]:
    labels = dict(Region.objects.filter(code__in=codes).values_list("code", "label"))
    return [labels[code] for code in codes if code in labels]


def describe(state: State) -> list[tuple[str, str]]:
    """The answers in plain words, for the results and the printed summary."""
    labels = dict(Region.objects.values_list("code", "label"))
    texts = q.option_texts()
    rows = [
        ("Where it hurts", ", ".join(labels.get(code, code) for code in state.regions)),
        ("Age", str(state.age)),
        ("Started", dict(q.DURATIONS).get(state.duration, "") + " ago"),
        ("Worst pain in the last day", f"{state.severity} out of 10"),
    ]
    # A group answered "I'm not sure which" records all its signs; say so rather than list them as told.
    plan = state.plan()
    unsure = [(group, items) for group, items in plan.details if group.slug in state.unsure]
    guessed = {o.code for _, items in unsure for o in items} if "details" in state.done else set()
    findings = [texts.get(code, code) for code in state.all_findings() if code not in guessed]
    rows.append(("What you told us", "; ".join(findings) if findings else "Nothing else"))
    if guessed:
        statements = "; ".join(group.statement(state.region_set, state.age) for group, _ in unsure)
        rows.append(("Not sure which (counted as yes, to be safe)", statements))
    return rows
