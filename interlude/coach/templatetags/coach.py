"""{% coach_helper field %}: the I-statement helper beside any writing field.

Templates compose the tools: a check-in answer or a journal entry includes the helper by this
tag, so neither app imports the coach's code. With htmx the notes follow the typing (after a
short pause); without script, "Check my words" does it:

- On a page whose own view handles the check (the check-in), give the button the view's
  field: `{% coach_helper form.x check_name="action" check_value="check" %}`; the page comes
  back with its notes under each field.
- Anywhere else (the journal), leave them out: the button sends the form to the helper's own
  page, which shows the notes and sends the words back where they came from (SAVE_LABEL names
  that button, such as "Save entry").
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from interlude.coach.notes import notes_for

register = template.Library()

OWN_FIELD = "coach_field"


def is_solo(request: Any) -> bool:
    """No linked partner: the explanations say "the other person"."""
    person = getattr(request, "person", None)
    return person is None or getattr(person, "partner", None) is None


@register.inclusion_tag("coach/_helper.html", takes_context=True)
def coach_helper(
    context: template.Context,
    field: BoundField,
    check_name: str = OWN_FIELD,
    check_value: str = "",
    save_label: str = "Save",
) -> dict[str, Any]:
    request = context.get("request")
    value = field.value()
    return {
        "field": field,
        "id": field.auto_id,
        "name": field.html_name,
        "notes": notes_for("" if value is None else str(value), solo=is_solo(request)),
        "check_name": check_name,
        "check_value": check_value or field.html_name,
        "fallback": check_name == OWN_FIELD,
        "return_to": request.get_full_path() if request is not None else "",
        "save_label": save_label,
    }
