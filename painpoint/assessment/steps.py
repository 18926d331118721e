"""The interview as a list of steps, each with its form, and the answers as they live in the session.

A step knows its slug, its label, whether it is complete for the answers so far, and how to build its form
for the regions and age already given. The next step is the first incomplete one; every step can be revisited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from painpoint.assessment import questions as q
from painpoint.engine.model import Answers
from painpoint.engine.validate import validate

SESSION_KEY = "painpoint.check"
# The interview's answers live only in this visitor's session, for an hour after the last step.
SESSION_SECONDS = 3600


@dataclass
class State:
    """The answers so far, as plain data that fits in a session."""

    regions: list[str] = field(default_factory=list)
    age: int | None = None
    sex: str = ""
    findings: dict[str, list[str]] = field(default_factory=dict)  # step slug -> codes ticked on that step
    duration: str = ""
    severity: int | None = None
    done: list[str] = field(default_factory=list)  # slugs of the steps answered

    @classmethod
    def load(cls, session: Any) -> State:
        data = session.get(SESSION_KEY) or {}
        state = cls()
        for key, value in data.items():
            if hasattr(state, key):
                setattr(state, key, value)
        return state

    def save(self, session: Any) -> None:
        session[SESSION_KEY] = self.__dict__.copy()
        session.set_expiry(SESSION_SECONDS)

    @property
    def region_set(self) -> frozenset[str]:
        return frozenset(self.regions)

    def all_findings(self) -> list[str]:
        codes: list[str] = []
        for step in STEPS:
            for code in self.findings.get(step.slug, []):
                if code not in codes and code != "none":
                    codes.append(code)
        return codes

    def answers(self) -> Answers | None:
        """The contract's answers, once every step is done."""
        if any(step.slug not in self.done for step in STEPS):
            return None
        raw: dict[str, Any] = {
            "age": self.age,
            "regions": self.regions,
            "duration_days": float(self.duration or 0),
            "severity": self.severity,
            "findings": self.all_findings(),
        }
        if self.sex:
            raw["sex"] = self.sex
        answers, _ = validate(raw)
        return answers


def _choices(options: list[q.Option]) -> list[tuple[str, str]]:
    return [(option.code, option.text) for option in options]


class RegionsForm(forms.Form):
    regions = forms.MultipleChoiceField(
        choices=[(code, code) for code in q.REGION_CODES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one place where it hurts."},
    )


class AboutForm(forms.Form):
    age = forms.IntegerField(
        label="How old are you?",
        min_value=1,
        max_value=120,
        error_messages={
            "required": "Enter your age in years.",
            "min_value": "Enter your age in years, from 1 to 120.",
            "max_value": "Enter your age in years, from 1 to 120.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label="Your sex (optional)",
        required=False,
        choices=[("female", "Female"), ("male", "Male"), ("other", "Other"), ("", "Prefer not to say")],
        widget=forms.RadioSelect,
    )


def checkbox_form(
    name: str, label: str, options: list[q.Option], *, none_text: str | None = None
) -> type[forms.Form]:
    choices = _choices(options) + ([("none", none_text)] if none_text else [])
    field = forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=not none_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick every one that applies, or 'None of these'."},
    )
    return type(f"{name.title()}Form", (forms.Form,), {"codes": field})


@dataclass(frozen=True)
class Step:
    slug: str
    label: str
    title: str

    def form_class(self, state: State) -> type[forms.Form]:
        regions, age = state.region_set, state.age
        if self.slug == "where":
            return RegionsForm
        if self.slug == "you":
            return AboutForm
        if self.slug == "safety":
            options = q.applicable(q.SAFETY, regions, age, q.MAX_SAFETY)
            return checkbox_form(
                "safety", "Do you have any of these right now?", options, none_text="None of these"
            )
        if self.slug == "started":
            return StartedForm
        if self.slug == "feels":
            return FeelsForm.build(state)
        if self.slug == "behaves":
            return BehavesForm.build(state)
        options = q.applicable(q.OTHER, regions, age, q.MAX_OTHER) + q.applicable(q.HISTORY, regions, age, 8)
        return checkbox_form("more", "Does any of this apply to you?", options, none_text="None of these")

    def initial(self, state: State) -> dict[str, Any]:
        if self.slug == "where":
            return {"regions": state.regions}
        if self.slug == "you":
            return {"age": state.age, "sex": state.sex}
        codes = state.findings.get(self.slug, [])
        if self.slug == "started":
            return {
                "onset": next((c for c in codes if c.startswith("onset-")), ""),
                "duration": state.duration,
                "course": [c for c in codes if c.startswith(("course-", "pattern-"))],
            }
        if self.slug == "behaves":
            return {"codes": codes, "severity": state.severity}
        if self.slug == "feels":
            return {
                "quality": [c for c in codes if c.startswith("quality-")],
                "spread": [c for c in codes if c.startswith("spread-")],
            }
        return {"codes": codes or (["none"] if self.slug in state.done else [])}

    def apply(self, state: State, data: dict[str, Any]) -> None:
        if self.slug == "where":
            state.regions = [code for code in q.REGION_CODES if code in data["regions"]]
        elif self.slug == "you":
            state.age, state.sex = data["age"], data["sex"] or ""
        elif self.slug == "started":
            state.findings[self.slug] = [c for c in [data["onset"], *data["course"]] if c]
            state.duration = data["duration"]
        elif self.slug == "feels":
            state.findings[self.slug] = [*data["quality"], *data["spread"]]
        elif self.slug == "behaves":
            state.findings[self.slug] = list(data["codes"])
            state.severity = data["severity"]
        else:
            state.findings[self.slug] = [code for code in data["codes"] if code != "none"]
        if self.slug not in state.done:
            state.done.append(self.slug)

    def is_complete(self, state: State) -> bool:
        return self.slug in state.done


class StartedForm(forms.Form):
    onset = forms.ChoiceField(
        label="How did it start?",
        choices=q.ONSET,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it started."},
    )
    duration = forms.ChoiceField(
        label="When did it start?",
        choices=q.DURATIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when it started."},
    )
    course = forms.MultipleChoiceField(
        label="How is it going? (tick any)",
        choices=q.COURSE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FeelsForm(forms.Form):
    @classmethod
    def build(cls, state: State) -> type[forms.Form]:
        quality = q.applicable(q.QUALITY, state.region_set, state.age)
        spread = q.applicable(q.SPREAD, state.region_set, state.age)
        fields: dict[str, forms.Field] = {
            "quality": forms.MultipleChoiceField(
                label="What does it feel like? (tick any)",
                choices=_choices(quality),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Tick at least one word that fits the pain."},
            ),
            "spread": forms.MultipleChoiceField(
                label="Does it spread? (tick any)",
                choices=_choices(spread),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
        }
        if not spread:
            del fields["spread"]
            fields["spread"] = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
        return type("FeelsForm", (forms.Form,), fields)


class BehavesForm(forms.Form):
    @classmethod
    def build(cls, state: State) -> type[forms.Form]:
        options = q.applicable(q.BEHAVIOUR, state.region_set, state.age, 10)
        return type(
            "BehavesForm",
            (forms.Form,),
            {
                "codes": forms.MultipleChoiceField(
                    label="What makes it worse or better? (tick any)",
                    choices=_choices(options),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                ),
                "severity": forms.TypedChoiceField(
                    label="How bad has it been at its worst in the last 24 hours? "
                    "0 is no pain, 10 is the worst pain you can imagine.",
                    choices=[(str(n), str(n)) for n in range(11)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Choose a number from 0 to 10."},
                ),
            },
        )


STEPS = (
    Step("where", "Where", "Where does it hurt?"),
    Step("you", "About you", "About you"),
    Step("safety", "Just to be safe", "Just to be safe"),
    Step("started", "When it started", "When and how did it start?"),
    Step("feels", "How it feels", "What does it feel like?"),
    Step("behaves", "What changes it", "What makes it worse or better?"),
    Step("more", "Anything else", "Anything else?"),
)
BY_SLUG = {step.slug: step for step in STEPS}


def next_step(state: State) -> Step | None:
    """The first step not yet answered, or None when the interview is complete."""
    for step in STEPS:
        if not step.is_complete(state):
            return step
    return None
