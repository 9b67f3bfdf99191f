"""Webhooks from outside services: Stripe tells us about payments (``POST /stripe/webhook``)."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)

from courtyard.webhooks import views  # noqa: E402,F401
