"""Local stand-ins for outside services, for development and tests: a fake Stripe API
(:mod:`.stripe_mock`, localstripe) and an SMTP server that keeps mail as files (:mod:`.smtp_sink`).
Never imported by the app itself."""
