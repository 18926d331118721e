"""Search over conditions, treatments and articles, built on painpoint.lib.search.

The index is rebuilt whenever the knowledge base changes; each server process notices a change through the
same cheap content stamp the page cache uses.
"""

from __future__ import annotations

import threading

from painpoint.knowledge.cache import content_stamp
from painpoint.knowledge.models import Article, Condition, Treatment
from painpoint.lib.readability import plain_blocks
from painpoint.lib.search import Document, Hit, Index

_lock = threading.Lock()
_cached: tuple[str, Index] | None = None


def _documents() -> list[Document]:
    documents = []
    for condition in Condition.objects.all():
        documents.append(
            Document(
                key=f"condition:{condition.slug}",
                kind="Condition",
                title=condition.name,
                url=condition.get_absolute_url(),
                summary=condition.summary,
                names=(condition.name, condition.medical_name, *condition.aka),
                aka=" ; ".join([condition.medical_name, *condition.aka]),
                body=" ".join(plain_blocks(condition.body_md)),
                # Commoner conditions first when the words fit equally well.
                boost=1.0 + 0.04 * condition.commonness,
            )
        )
    for treatment in Treatment.objects.all():
        documents.append(
            Document(
                key=f"treatment:{treatment.slug}",
                kind="Treatment",
                title=treatment.name,
                url=treatment.get_absolute_url(),
                summary=treatment.summary,
                names=(treatment.name, *treatment.aka),
                aka=" ; ".join(treatment.aka),
                body=" ".join(plain_blocks(treatment.body_md)),
            )
        )
    for article in Article.objects.all():
        documents.append(
            Document(
                key=f"article:{article.slug}",
                kind="Article",
                title=article.title,
                url=article.get_absolute_url(),
                summary=article.summary,
                names=(article.title,),
                aka="",
                body=" ".join(plain_blocks(article.body_md)),
            )
        )
    return documents


def get_index() -> Index:
    global _cached
    stamp = content_stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, Index.build(_documents()))
        return _cached[1]


def search(query: str, *, limit: int = 20) -> tuple[list[Hit], str | None]:
    query = query.strip()[:200]
    if not query:
        return [], None
    return get_index().search(query, limit=limit)
