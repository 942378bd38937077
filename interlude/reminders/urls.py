from django.urls import path

from interlude.reminders import views

urlpatterns = [
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/email/", views.reminders_email, name="reminders_email"),
    path("reminders/calendar/", views.reminders_calendar, name="reminders_calendar"),
    # The token is the key (calendar apps cannot sign in); it never reaches a log line.
    path(
        "reminders/calendar/<slug:token>.ics",
        views.calendar_feed,
        name="reminders_calendar_feed",
    ),
    path("reminders/stop/<str:token>/", views.stop, name="reminders_stop"),
    path("reminders/notices/seen/", views.notices_seen, name="notices_seen"),
]
