"""The visitor's booking forms: who they are, and which time they want."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from painpoint.booking.service import Patient
from painpoint.clinics.models import PHONE

DAYS = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
]
TIMES = [("morning", "Morning"), ("afternoon", "Afternoon"), ("evening", "Evening")]


class DetailsForm(forms.Form):
    name = forms.CharField(
        label="Your full name", max_length=120, error_messages={"required": "Enter your full name."}
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        error_messages={"required": "Enter a phone number we can call you on."},
        validators=[PHONE],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Email",
        required=False,
        help_text="We send the confirmation and a reminder here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Enter your email address, for the confirmation."},
    )
    date_of_birth = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        help_text="So we find your records.",
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Give the date as year-month-day, e.g. 1958-03-21.",
        },
    )
    reason = forms.CharField(
        label="Anything you want us to know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="The clinic may contact me by phone or email about this request.",
        error_messages={"required": "Please tick this box so we may contact you."},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, email_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise ValidationError("Please give your name.")
        return name

    def clean_date_of_birth(self) -> date | None:
        born: date | None = self.cleaned_data["date_of_birth"]
        if born is None:
            return None
        if born > date.today():
            raise ValidationError("The date of birth is in the future; please check the year.")
        if born.year < 1900:
            raise ValidationError("Please check the year of birth.")
        return born

    def patient(self) -> Patient:
        data = self.cleaned_data
        return Patient(
            name=data["name"],
            phone=data["phone"],
            email=data.get("email", ""),
            date_of_birth=data.get("date_of_birth"),
            reason=data.get("reason", ""),
        )


class CallForm(DetailsForm):
    best_time = forms.CharField(
        label="When is a good time to call? (optional)", required=False, max_length=200
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, email_required=False, **kwargs)
        self.fields["date_of_birth"].required = False
        self.fields["date_of_birth"].label = "Date of birth (optional)"
        email = self.fields["email"]
        email.label = "Email (optional)"
        # A call request gets no confirmation or reminder: only a note that it arrived (notify.requested),
        # and the front desk sees the address next to the phone number.
        email.help_text = (
            "We email you to say we have your request. We may also write if we cannot reach you by phone."
        )
        self.order_fields(["name", "phone", "best_time", "email", "date_of_birth", "reason", "consent"])


class PreferenceForm(DetailsForm):
    days = forms.MultipleChoiceField(
        label="Which days suit you?", choices=DAYS, widget=forms.CheckboxSelectMultiple, required=False
    )
    times = forms.MultipleChoiceField(
        label="What time of day?", choices=TIMES, widget=forms.CheckboxSelectMultiple, required=False
    )

    def preferred_times(self) -> str:
        days = dict(DAYS)
        times = dict(TIMES)
        chosen_days = ", ".join(days[d] for d in self.cleaned_data.get("days", [])) or "Any day"
        chosen_times = ", ".join(times[t] for t in self.cleaned_data.get("times", [])) or "any time"
        return f"{chosen_days}; {chosen_times.lower()}"


class ContactForm(forms.Form):
    """A message to the clinic. Spam is kept out without a third party: a field only robots fill in, a
    minimum time to fill the form in (a signed timestamp), and a per-client rate limit in the view."""

    MIN_SECONDS = 3
    MAX_SECONDS = 24 * 3600

    name = forms.CharField(label="Your name", max_length=120, error_messages={"required": "Enter your name."})
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        validators=[PHONE],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Email", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    message = forms.CharField(
        label="Your message",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your message to the clinic."},
    )
    consent = forms.BooleanField(
        label="The clinic may contact me by phone or email about this message.",
        error_messages={"required": "Please tick this box so we may answer you."},
    )
    # Robots fill in every field; people never see this one.
    website = forms.CharField(required=False, label="Leave this empty", max_length=200)
    started = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", "Give a phone number or an email address so we can answer.")
        return data

    def is_robot(self) -> bool:
        """Whether the honeypot was filled in or the form came back too fast (or from an old page)."""
        from django.core import signing

        if self.cleaned_data.get("website"):
            return True
        try:
            stamp = signing.TimestampSigner(salt="painpoint.contact").unsign(
                self.cleaned_data.get("started", ""), max_age=self.MAX_SECONDS
            )
        except signing.BadSignature:
            return True
        return time.time() - float(stamp) < self.MIN_SECONDS

    @staticmethod
    def start_stamp() -> str:
        from django.core import signing

        return signing.TimestampSigner(salt="painpoint.contact").sign(f"{time.time():.3f}")
