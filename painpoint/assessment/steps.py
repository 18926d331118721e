"""The interview as a list of steps, each with its form, and the answers as they live in the session.

A step knows its slug, its label, whether it applies to the answers so far, whether it is complete, and how to
build its form for the regions and age already given. The next step is the first applicable one not yet
answered; every step can be revisited. When an answer changes what a later step asks (other regions, another
group ticked on "Just to be safe"), that later step is asked again, with its earlier answers kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms

from painpoint.assessment import questions as q
from painpoint.engine.model import Answers
from painpoint.engine.validate import MAX_REGIONS, validate

SESSION_KEY = "painpoint.check"
# The interview's answers live only in this visitor's session, for an hour after the last step.
SESSION_SECONDS = 3600
UNSURE = "unsure"


@dataclass
class State:
    """The answers so far, as plain data that fits in a session."""

    regions: list[str] = field(default_factory=list)
    age: int | None = None
    sex: str = ""
    findings: dict[str, list[str]] = field(default_factory=dict)  # step slug -> codes recorded on that step
    duration: str = ""
    severity: int | None = None
    done: list[str] = field(default_factory=list)  # slugs of the steps answered
    groups: list[str] = field(default_factory=list)  # the warning groups ticked on "Just to be safe"
    unsure: list[str] = field(default_factory=list)  # the ticked groups answered "I'm not sure which"
    offered: dict[str, list[list[str]]] = field(default_factory=dict)  # slug -> what its form offered

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

    @property
    def onset(self) -> str:
        return next((c for c in self.findings.get("started", []) if c.startswith("onset-")), "")

    def plan(self) -> q.Plan:
        return q.plan(self.region_set, self.age, self.onset, tuple(self.groups))

    def steps(self) -> list[Step]:
        """The steps that apply to these answers, in order: what the progress bar shows."""
        return [step for step in ORDER if step.is_applicable(self)]

    def all_findings(self) -> list[str]:
        codes: list[str] = []
        for step in self.steps():
            for code in self.findings.get(step.slug, []):
                if code not in codes and code != "none":
                    codes.append(code)
        return codes

    def answers(self) -> Answers | None:
        """The contract's answers, once every step that applies is done."""
        if any(step.slug not in self.done for step in self.steps()):
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


def _choices(options: list[q.Option] | tuple[q.Option, ...]) -> list[tuple[str, str]]:
    return [(option.code, option.text) for option in options]


NONE_AND_SYMPTOM = "You ticked 'None of these' and a symptom; untick one."


class NoneOfTheseCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose "none" option carries `data-none-of-these`, the hook of none_of_these.js."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: Any,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "none":
            option["attrs"]["data-none-of-these"] = ""
        return option


def _clean_codes(form: forms.Form) -> list[str]:
    codes: list[str] = form.cleaned_data["codes"]
    # "None of these" beside a symptom is a contradiction: ask, rather than guess which one was meant,
    # and never drop the symptom, which may be a red flag.
    if "none" in codes and len(codes) > 1:
        raise forms.ValidationError(NONE_AND_SYMPTOM, code="none_and_symptom")
    return codes


def checklist_form(name: str, label: str, choices: list[tuple[str, str]], hint: str) -> type[forms.Form]:
    """A form of one tick-any list that needs an answer: the statements, then an exclusive "None of these"."""
    codes = forms.MultipleChoiceField(
        label=label,
        help_text=hint,
        choices=[*choices, ("none", "None of these")],
        widget=NoneOfTheseCheckboxes,
        error_messages={"required": "Tick every one that applies, or 'None of these'."},
    )
    return type(f"{name.title()}Form", (forms.Form,), {"codes": codes, "clean_codes": _clean_codes})


def tick_any(label: str, choices: list[tuple[str, str]], **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class Step:
    slug = ""
    label = ""  # in the progress bar
    title = ""  # the page's heading
    lead = ""  # a line under the heading, if any
    # One question on the page: its legend is the page's heading, so the question is not said twice.
    single = False

    def is_applicable(self, state: State) -> bool:
        return True

    def is_complete(self, state: State) -> bool:
        return self.slug in state.done

    def form_class(self, state: State) -> type[forms.Form]:
        raise NotImplementedError

    def initial(self, state: State) -> dict[str, Any]:
        return {}

    def save(self, state: State, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def offered(self, state: State) -> list[list[str]]:
        """What the form asks for these answers: each field with its choices and their words."""
        fields = self.form_class(state).base_fields
        return [
            [name, str(value), str(text)]
            for name, form_field in fields.items()
            for value, text in getattr(form_field, "choices", [])
        ]

    def apply(self, state: State, data: dict[str, Any]) -> None:
        """Record this step's answers, and ask again any later step whose questions they changed."""
        self.save(state, data)
        state.offered[self.slug] = self.offered(state)
        if self.slug not in state.done:
            state.done.append(self.slug)
        slugs = [step.slug for step in ORDER]
        for later in ORDER[slugs.index(self.slug) + 1 :]:
            if (
                later.slug in state.done
                and later.is_applicable(state)
                and state.offered.get(later.slug) != later.offered(state)
            ):
                state.done.remove(later.slug)


class RegionsForm(forms.Form):
    regions = forms.MultipleChoiceField(
        choices=[(code, code) for code in q.REGION_CODES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one place where it hurts."},
    )

    def clean_regions(self) -> list[str]:
        regions: list[str] = self.cleaned_data["regions"]
        # The contract takes at most MAX_REGIONS; someone sore nearly everywhere is asked about widespread
        # pain later, so the places that hurt most are enough here.
        if len(regions) > MAX_REGIONS:
            raise forms.ValidationError(
                f"You chose {len(regions)} places. Choose at most {MAX_REGIONS}: the ones that hurt most."
            )
        return regions


class Where(Step):
    slug, label, title = "where", "Where", "Where does it hurt?"

    def form_class(self, state: State) -> type[forms.Form]:
        return RegionsForm

    def initial(self, state: State) -> dict[str, Any]:
        return {"regions": state.regions}

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.regions = [code for code in q.REGION_CODES if code in data["regions"]]


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
        label="Sex (optional)",
        required=False,
        choices=[("female", "Female"), ("male", "Male"), ("other", "Other"), ("", "Prefer not to say")],
        widget=forms.RadioSelect,
    )


class About(Step):
    slug, label, title = "you", "About you", "About you"

    def form_class(self, state: State) -> type[forms.Form]:
        return AboutForm

    def initial(self, state: State) -> dict[str, Any]:
        return {"age": state.age, "sex": state.sex}

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.age, state.sex = data["age"], data["sex"] or ""


class Safety(Step):
    """The warning signs for these regions, a few grouped statements; "None of these" is the usual answer."""

    slug, label, title = "safety", "Just to be safe", "Just to be safe"
    single = True

    def form_class(self, state: State) -> type[forms.Form]:
        regions, age = state.region_set, state.age
        choices = [(group.slug, group.statement(regions, age)) for group in state.plan().groups]
        return checklist_form(
            "safety", "Just to be safe: do you have any of these now?", choices, "Tick any that apply."
        )

    def initial(self, state: State) -> dict[str, Any]:
        return {"codes": state.groups or (["none"] if self.slug in state.done else [])}

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.groups = [code for code in data["codes"] if code != "none"]
        state.findings[self.slug] = []  # the signs themselves are recorded by the details


class Details(Step):
    """Which signs of each ticked group: the options' own words, and "I'm not sure which" per group.

    Not sure, or nothing ticked in a group, records every sign of the group: when unsure, triage up.
    Ticked by mistake, the visitor goes back and unticks the group.
    """

    slug, label, title = "details", "Tell us more", "Tell us a bit more"
    lead = "Tick the ones you have. Ticked one by mistake? Go back and untick it."

    def is_applicable(self, state: State) -> bool:
        return bool(state.groups) and bool(state.plan().details)

    def form_class(self, state: State) -> type[forms.Form]:
        regions, age = state.region_set, state.age
        fields = {
            group.slug: tick_any(
                group.statement(regions, age), [*_choices(items), (UNSURE, "I'm not sure which")]
            )
            for group, items in state.plan().details
        }
        return type("DetailsForm", (forms.Form,), fields)

    def initial(self, state: State) -> dict[str, Any]:
        recorded = set(state.findings.get(self.slug, []))
        return {
            group.slug: [UNSURE]
            if group.slug in state.unsure
            else [o.code for o in items if o.code in recorded]
            for group, items in state.plan().details
        }

    def save(self, state: State, data: dict[str, Any]) -> None:
        codes: list[str] = []
        state.unsure = []
        for group, items in state.plan().details:
            chosen = data.get(group.slug) or []
            if UNSURE in chosen or not chosen:
                state.unsure.append(group.slug)
                codes += [o.code for o in items]
            else:
                codes += chosen
        state.findings[self.slug] = codes


class StartedForm(forms.Form):
    onset = forms.ChoiceField(
        label="How did it start?",
        choices=q.ONSET,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it started."},
    )
    duration = forms.ChoiceField(
        label="How long ago?",
        choices=q.DURATIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when it started."},
    )
    course = tick_any("How is it going? Tick any.", q.COURSE)


class Started(Step):
    slug, label, title = "started", "When it started", "When it started"

    def form_class(self, state: State) -> type[forms.Form]:
        return StartedForm

    def initial(self, state: State) -> dict[str, Any]:
        codes = state.findings.get(self.slug, [])
        return {
            "onset": state.onset,
            "duration": state.duration,
            "course": [c for c in codes if c.startswith(("course-", "pattern-"))],
        }

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.findings[self.slug] = [c for c in [data["onset"], *data["course"]] if c]
        state.duration = data["duration"]


class Injury(Step):
    """After an injury or a sudden start in an arm or leg: the signs of a break, a torn tendon or pressure
    building in a limb."""

    slug, label, title = "injury", "Since it started", "Since it started"
    single = True

    def is_applicable(self, state: State) -> bool:
        return bool(state.plan().injury)

    def form_class(self, state: State) -> type[forms.Form]:
        return checklist_form(
            "injury", "Since it started, do you have any of these?", _choices(state.plan().injury), ""
        )

    def initial(self, state: State) -> dict[str, Any]:
        codes = state.findings.get(self.slug, [])
        return {"codes": codes or (["none"] if self.slug in state.done else [])}

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.findings[self.slug] = [code for code in data["codes"] if code != "none"]


class Feels(Step):
    slug, label, title = "feels", "How it feels", "How it feels"

    def form_class(self, state: State) -> type[forms.Form]:
        plan = state.plan()
        fields: dict[str, forms.Field] = {
            "quality": forms.MultipleChoiceField(
                label="What does it feel like? Tick any that fit.",
                choices=_choices(plan.quality),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Tick at least one word that fits the pain."},
            ),
        }
        if plan.spread:
            fields["spread"] = tick_any("Does it spread?", _choices(plan.spread))
        else:
            fields["spread"] = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
        return type("FeelsForm", (forms.Form,), fields)

    def initial(self, state: State) -> dict[str, Any]:
        codes = state.findings.get(self.slug, [])
        return {
            "quality": [c for c in codes if c.startswith("quality-")],
            "spread": [c for c in codes if c.startswith("spread-")],
        }

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.findings[self.slug] = [*data["quality"], *data.get("spread", [])]


class Behaves(Step):
    """What makes it worse or better, the context a rule reads, the extras that tell conditions apart, and
    how bad it is."""

    slug, label, title = "behaves", "A few more", "A few more things"

    def form_class(self, state: State) -> type[forms.Form]:
        options = state.plan().behaves
        fields: dict[str, forms.Field] = {}
        if options:
            fields["codes"] = tick_any("Do any of these fit? Tick any.", _choices(options))
        else:
            fields["codes"] = forms.MultipleChoiceField(required=False, widget=forms.MultipleHiddenInput)
        fields["severity"] = forms.TypedChoiceField(
            label="How bad was it at its worst in the last day?",
            choices=[(str(n), str(n)) for n in range(11)],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose a number from 0 to 10."},
        )
        return type("BehavesForm", (forms.Form,), fields)

    def initial(self, state: State) -> dict[str, Any]:
        return {"codes": state.findings.get(self.slug, []), "severity": state.severity}

    def save(self, state: State, data: dict[str, Any]) -> None:
        state.findings[self.slug] = list(data["codes"])
        state.severity = data["severity"]


# Every step in order. STEPS are those every visitor is asked; the details follow "Just to be safe" only when
# a group was ticked, and "Since it started" follows an injury or a sudden start in an arm or leg.
ORDER: tuple[Step, ...] = (
    Where(),
    About(),
    Safety(),
    Details(),
    Started(),
    Injury(),
    Feels(),
    Behaves(),
)
STEPS = tuple(step for step in ORDER if step.slug not in ("details", "injury"))
BY_SLUG = {step.slug: step for step in ORDER}


def next_step(state: State) -> Step | None:
    """The first step that applies and is not yet answered, or None when the interview is complete."""
    for step in state.steps():
        if not step.is_complete(state):
            return step
    return None
