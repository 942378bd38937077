"""Used by the data migrations that bound earlier partner sharing to a couple link."""

from __future__ import annotations

from typing import Any

PARTNER_VISIBILITIES = ("partner", "both")


def bind_existing_sharing(apps: Any, app_label: str, model_name: str, author_field: str) -> None:
    """Entries already shared with a partner are bound to the author's standing agreement to
    share, itself bound to the couple link open now. Entries with no standing agreement stay
    unshared, as they already were in effect."""
    model = apps.get_model(app_label, model_name)
    consent_model = apps.get_model("consents", "Consent")
    member_model = apps.get_model("couples", "CoupleMember")
    authors = (
        model.objects.filter(visibility__in=PARTNER_VISIBILITIES)
        .values_list(f"{author_field}_id", flat=True)
        .distinct()
    )
    for author_id in authors:
        consent = (
            consent_model.objects.filter(
                user_id=author_id, kind="partner_sharing", withdrawn_at__isnull=True
            )
            .order_by("-given_at")
            .first()
        )
        if consent is None:
            continue
        if consent.couple_id is None:
            member = member_model.objects.filter(
                client_id=author_id, couple__ended_at__isnull=True, status="active"
            ).first()
            if member is None:
                continue
            consent.couple_id = member.couple_id
            consent.save(update_fields=["couple"])
        model.objects.filter(
            **{f"{author_field}_id": author_id}, visibility__in=PARTNER_VISIBILITIES
        ).update(shared_under=consent)
