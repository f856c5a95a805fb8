"""What may be shown about participants: the one place that decides.

Participants are human-rights defenders in a post-conflict region. Their
names appear only if they agreed to be listed (``consent_directory``), and
their e-mail and phone only if they also agreed to be contacted
(``consent_contact``). A blank answer counts as "no".
"""

from __future__ import annotations

from typing import Any

from cso_network.core.model import Dataset

__all__ = ["public_participants", "PUBLIC_FIELDS"]

PUBLIC_FIELDS = ("full_name", "role", "email", "phone")


def public_participants(dataset: Dataset, org_id: str) -> dict[str, Any]:
    """The participants of ``org_id`` as others may see them.

    Returns
    -------
    dict
        ``listed``: [{full_name, role, email, phone}] for those who consented
        to the directory (email and phone None unless they also consented to
        contact); ``unlisted``: how many others there are.

    Examples
    --------
    >>> from cso_network.core.model import Dataset, frame_from_records as f
    >>> ds = Dataset.from_frames({"participants": f("participants", [
    ...     {"participant_id": "p1", "org_id": "A", "full_name": "Ana", "email": "a@example.org",
    ...      "consent_directory": True, "consent_contact": False},
    ...     {"participant_id": "p2", "org_id": "A", "full_name": "Bo",
    ...      "consent_directory": None}])})
    >>> public_participants(ds, "A")
    {'listed': [{'full_name': 'Ana', 'role': None, 'email': None, 'phone': None}], 'unlisted': 1}
    """
    people = dataset.participants[dataset.participants["org_id"] == org_id]
    listed, unlisted = [], 0
    for row in people.sort_values("participant_id").to_dict("records"):
        if row.get("consent_directory") is not True:
            unlisted += 1
            continue
        contact = row.get("consent_contact") is True
        listed.append({
            "full_name": row.get("full_name"),
            "role": row.get("role"),
            "email": row.get("email") if contact else None,
            "phone": row.get("phone") if contact else None,
        })
    return {"listed": listed, "unlisted": unlisted}
