"""The only way views obtain questionnaires, answers and alerts. A row the user may not see is a
404.

A client sees their own questionnaires and answers (never a partner's). The therapist who
cares for the client sees the scores and the alerts. Nobody else: not another therapist of the
practice, nor a practice admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from interlude.accounts.models import User
from interlude.measures.models import MeasureAssignment, MeasureResponse, SafetyAlert
from interlude.sharing.person import Person


def own_assignments(person: Person) -> QuerySet[MeasureAssignment]:
    """The client's own questionnaires (current and ended)."""
    if not person.is_client:
        raise Http404
    return MeasureAssignment.objects.filter(client=person.user)


def get_own_assignment(person: Person, assignment_id: int) -> MeasureAssignment:
    """One of the client's own questionnaires, to fill in."""
    try:
        return own_assignments(person).select_related("therapist").get(pk=assignment_id)
    except MeasureAssignment.DoesNotExist as exc:
        raise Http404 from exc


def get_own_response(person: Person, response_id: int) -> MeasureResponse:
    """One of the client's own answered questionnaires (for the page after answering)."""
    if not person.is_client:
        raise Http404
    try:
        return MeasureResponse.objects.select_related("assignment").get(
            pk=response_id, client=person.user
        )
    except MeasureResponse.DoesNotExist as exc:
        raise Http404 from exc


def _cares_for(user: User, client_id: int) -> bool:
    from interlude.practice.models import ClientProfile

    return ClientProfile.objects.filter(
        user_id=client_id, therapist=user, user__is_active=True
    ).exists()


def get_assignment_for_therapist(user: User, assignment_id: int) -> MeasureAssignment:
    """A questionnaire the therapist gave to a client they still care for."""
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    try:
        assignment = MeasureAssignment.objects.select_related("client").get(
            pk=assignment_id, therapist=user
        )
    except MeasureAssignment.DoesNotExist as exc:
        raise Http404 from exc
    if not _cares_for(user, assignment.client_id):
        raise Http404
    return assignment


def get_alert_for_therapist(user: User, alert_id: int) -> SafetyAlert:
    """A safety alert about a client the therapist cares for."""
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    try:
        alert = SafetyAlert.objects.select_related("client").get(pk=alert_id, therapist=user)
    except SafetyAlert.DoesNotExist as exc:
        raise Http404 from exc
    if not _cares_for(user, alert.client_id):
        raise Http404
    return alert


def assignments_of_client_for_therapist(
    therapist: User, client: User
) -> QuerySet[MeasureAssignment]:
    """The questionnaires THERAPIST gave CLIENT (the caller holds the client's profile)."""
    return MeasureAssignment.objects.filter(therapist=therapist, client=client)


def responses_of_client_for_therapist(therapist: User, client: User) -> QuerySet[MeasureResponse]:
    """CLIENT's answers to the questionnaires THERAPIST gave them, newest first."""
    return MeasureResponse.objects.filter(client=client, assignment__therapist=therapist)
