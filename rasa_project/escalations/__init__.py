"""Emergency and urgent escalations: recorded with the turn, delivered to the clinic.

:mod:`.recording`
    Finds the escalations in a turn's events (``triage_level`` set to
    ``emergency`` or ``urgent``, with the ``red_flags`` known by then and the
    input channel) and writes each as a row of the ``escalations`` table. The
    tracker store writes these rows in the same database transaction as the
    turn's events (an outbox): a turn is stored with its escalation or not at all.
:mod:`.delivery`
    The sender: it claims undelivered rows, POSTs them to the clinic's webhook,
    retries failures with exponential backoff and marks each row delivered. It
    runs as a background thread in every Rasa server process (started by the
    tracker store when a webhook is configured) and stand-alone with
    ``python -m rasa_project deliver-escalations``. Rows are claimed with a lease,
    so several processes never deliver one row twice, and rows left undelivered
    by a stopped or killed process are delivered when any sender runs again.

Settings (environment variables):

``ASSISTANT_ESCALATION_WEBHOOK_URL``
    Where every escalation is POSTed as JSON. Unset: escalations are recorded
    but not sent; setting it later sends the ones recorded meanwhile.
``ASSISTANT_ESCALATION_WEBHOOK_TOKEN``
    Optional bearer token sent with the webhook request.
``ASSISTANT_ESCALATION_WEBHOOK_TIMEOUT``
    Seconds per webhook attempt (default 5).
``ASSISTANT_ESCALATION_WEBHOOK_ATTEMPTS``
    Failed attempts after which each further failure of an escalation is logged
    as an ERROR (default 4). Delivery never gives up: the pause between attempts
    doubles from 1 second up to 5 minutes.

The delivery guarantee is at least once: a sender killed after the clinic
accepted an escalation but before it marked the row delivered sends it again.
"""
