"""Plain factory functions for tests: defaults filled with kwargs.setdefault, overrides by keyword."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User

from painpoint.clinics.models import Clinic


def make_user(username: str = "alice", *, role: str | None = None, **kwargs: Any) -> User:
    kwargs.setdefault("email", f"{username}@clinic.example")
    kwargs.setdefault("is_staff", role is not None)
    user = User.objects.create_user(username=username, password="correct horse battery staple", **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def sign_in_staff(client: Any, user: User) -> None:
    """Sign `user` in as if they had given their password and one-time code (tests of what staff may do)."""
    import time

    from painpoint.inbox.access import SEEN_KEY, VERIFIED_KEY

    client.force_login(user)
    session = client.session
    session[VERIFIED_KEY] = user.pk
    session[SEEN_KEY] = time.time()
    session.save()


def make_clinic(**kwargs: Any) -> Clinic:
    kwargs.setdefault("name", "Test Spine Clinic")
    kwargs.setdefault("phone", "(555) 000-1234")
    return Clinic.objects.create(**kwargs)


CONDITION = """\
---
name: {name}
aka: [{aka}]
category: muscle
icd10: [M79.18]
regions: [{regions}]
commonness: 3
summary: A short summary of {name}.
triage:
  usual: self-care
  escalates:
    - to: appointment
      when: It lasts more than six weeks.
treatments: [{treatments}]
sources:
  - title: MedlinePlus
    url: https://medlineplus.gov/backpain.html
reviewed_by: ""
reviewed_on: ""
---
## Symptoms

It aches. See [heat](treatment:heat).

## Causes and risk factors

Long days at a desk.

## When to get help now

Call 911 if you cannot move your legs.

## Self-care

Keep moving.

## Treatments

Heat helps.

## Prevention

Take breaks.
"""

TREATMENT = """\
---
name: {name}
aka: []
kind: self-care
summary: A short summary of {name}.
helps: [{helps}]
sources:
  - title: MedlinePlus
    url: https://medlineplus.gov/backpain.html
---
## What it is

Warmth on the sore spot.

## What it helps

Sore muscles.

## What the evidence says

It can ease pain for a short time.

## What to expect

It feels warm.

## Risks

Do not burn your skin.
"""

ARTICLE = """\
---
title: {title}
summary: A short article.
conditions: [{conditions}]
treatments: []
published_on: 2026-11-01
sources:
  - title: MedlinePlus
    url: https://medlineplus.gov/backpain.html
---
## Why it matters

Read about [knots](condition:knots).
"""


PROFILE = """\
prior: 2
regions:
  {region}: 2
findings:
  quality-knot: [3, a tight knot in the muscle]
source: "test"
"""


def write_pack(root: Path) -> Path:
    """Write a small valid content pack under `root` and return its folder.

    It holds the real 49 regions and red-flag rules, two conditions with their profiles, two treatments and
    one article, and is the starting point that loader tests break in one place at a time.
    """
    pack = root / "content"
    for folder in ("conditions", "treatments", "articles"):
        (pack / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(settings.CONTENT_DIR / "regions.yaml", pack / "regions.yaml")
    write(
        pack,
        "conditions/knots.md",
        CONDITION.format(name="Knots", aka="muscle knot", regions="lower-back", treatments="heat"),
    )
    write(
        pack,
        "conditions/stiff-neck.md",
        CONDITION.format(
            name="Stiff neck", aka="wry neck", regions="neck-back", treatments="heat, stretching"
        ),
    )
    write(pack, "treatments/heat.md", TREATMENT.format(name="Heat", helps="knots"))
    write(pack, "treatments/stretching.md", TREATMENT.format(name="Stretching", helps="knots, stiff-neck"))
    write(pack, "articles/about-knots.md", ARTICLE.format(title="About knots", conditions="knots"))
    # The real red-flag rules, pointing at no condition (this pack has none of the serious ones), and a
    # profile for each of the two conditions.
    (pack / "triage" / "profiles").mkdir(parents=True, exist_ok=True)
    rules = (settings.CONTENT_DIR / "triage" / "red_flags.yaml").read_text(encoding="utf-8")
    write(pack, "triage/red_flags.yaml", re.sub(r"(points_to(?:_if_fits)?): \[[^\]]*\]", r"\1: []", rules))
    write(pack, "triage/profiles/knots.yaml", PROFILE.format(region="lower-back"))
    write(pack, "triage/profiles/stiff-neck.yaml", PROFILE.format(region="neck-back"))
    return pack


def write(pack: Path, relative: str, text: str) -> Path:
    path = pack / relative
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def edit(pack: Path, relative: str, old: str, new: str) -> Path:
    path = pack / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path
