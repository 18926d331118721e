"""The interview's answers and result, carried from the results page into a booking or a call request."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from painpoint.assessment.knowledge import clinic_knowledge
from painpoint.assessment.steps import SESSION_KEY, State
from painpoint.booking.service import Assessment
from painpoint.engine import assess


def carried(session: SessionBase) -> Assessment | None:
    """The visitor's finished interview as the contract's answers and result, or None without one."""
    state = State.load(session)
    answers = state.answers()
    if answers is None:
        return None
    result = assess(answers, clinic_knowledge()).to_contract()
    from painpoint.assessment.views import describe

    return Assessment(answers=answers.to_contract(), result=result, summary=tuple(describe(state)))


def forget(session: SessionBase) -> None:
    """Drop the interview from the session once it is saved with a request: it lives there now."""
    session.pop(SESSION_KEY, None)
