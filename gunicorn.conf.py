# gunicorn reads this file from the directory it starts in (the demo and the benchmark start
# it from here). Access-log lines never carry a secret from a URL (interlude/lib/redact.py).
from interlude.lib.redact import gunicorn_logger_class

logger_class = gunicorn_logger_class()
