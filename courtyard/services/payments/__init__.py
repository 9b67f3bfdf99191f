"""Paying for pledges by card through Stripe: intents, settlement, webhook events, the guarded client.

The Stripe client itself (HTTP over ``requests``, time budget, breaker) is :mod:`courtyard.payments`."""
