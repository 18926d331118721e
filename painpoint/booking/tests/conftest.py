from __future__ import annotations

import pytest

from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Request, VisitType
from painpoint.booking.service import Patient
from painpoint.clinics.models import Clinic

ANN = Patient(name="Ann Example", phone="(555) 010-0100", email="ann@example.org", date_of_birth=None)


@pytest.fixture
def new_patient(db) -> VisitType:
    return VisitType.objects.get(slug="new-patient")


@pytest.fixture
def first_slot(new_patient):
    """The first free new-patient slot of the demo calendar."""
    return free_slots(new_patient, Window.for_visitors(Clinic.objects.current()))[0]


def free(visit_type: VisitType):
    return free_slots(visit_type, Window.for_visitors(Clinic.objects.current()))


def book(slot, visit_type: VisitType, **kwargs) -> Request:
    """Book `slot` of `visit_type` for Ann (or `patient=`), as the booking form does."""
    made, _ = service.book(
        visit_type=visit_type,
        start=slot.start,
        provider_id=slot.provider_id,
        location_id=slot.location_id,
        patient=kwargs.pop("patient", ANN),
        **kwargs,
    )
    return made
