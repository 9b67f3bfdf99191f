"""The card payment flow of pledges against a real localstripe."""
