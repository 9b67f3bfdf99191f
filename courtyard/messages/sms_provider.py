"""Alibaba Cloud SMS through its official SDK (``alibabacloud-dysmsapi20170525``).

The SDK is configured from the app's config only (key, secret, endpoint, protocol, timeouts), so
the same code talks to the provider and to the local sink (:mod:`courtyard.devservices.sms_sink`).
Answers come back as plain values: ``SendOutcome`` for ``SendSms`` and a list of ``Detail`` for
``QuerySendDetails``. An answer the provider gives (``Code`` other than ``OK``, or an HTTP error it
explains, such as ``SignatureDoesNotMatch``) is an outcome with that code; no answer at all
(timeout, connection refused) raises :class:`NoAnswer`, because then the text may or may not
have gone out.
"""

import json
from functools import lru_cache
from typing import NamedTuple

from alibabacloud_dysmsapi20170525 import models as sms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi import models as openapi_models
from alibabacloud_tea_util import models as util_models

# a number's per-minute/hour/day limit: wait and send again later
LIMIT_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling", "ServiceUnavailable"})
# the account itself is refused: nothing can go out until the county fixes the settings
ACCOUNT_CODES = frozenset({"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound", "InvalidAccessKeyId",
                           "IncompleteSignature", "MissingAuthorization", "isv.AMOUNT_NOT_ENOUGH",
                           "isv.ACCOUNT_NOT_EXISTS", "isv.ACCOUNT_ABNORMAL", "Forbidden.RAM"})
SEND_STATUS = {1: "sent", 2: "failed", 3: "delivered"}  # QuerySendDetails' SendStatus: 1 waiting for receipt


class NoAnswer(Exception):
    """The provider did not answer; the text may or may not have been sent."""


class SendOutcome(NamedTuple):
    code: str
    message: str
    biz_id: str = ""

    @property
    def ok(self):
        return self.code == "OK"


class Detail(NamedTuple):
    status: str  # sent / delivered / failed
    error_code: str
    out_id: str
    send_date: str


def client(config):
    return _client(config["SMS_ACCESS_KEY_ID"], config["SMS_ACCESS_KEY_SECRET"], config["SMS_ENDPOINT"],
                   config["SMS_PROTOCOL"], int(config["SMS_TIMEOUT"] * 1000))


@lru_cache(maxsize=8)
def _client(key_id, secret, endpoint, protocol, timeout_ms):
    """One SDK client per set of settings (making one is slow)."""
    return Client(openapi_models.Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint,
                                        protocol=protocol, connect_timeout=timeout_ms, read_timeout=timeout_ms))


def _runtime(config):
    timeout = int(config["SMS_TIMEOUT"] * 1000)
    return util_models.RuntimeOptions(connect_timeout=timeout, read_timeout=timeout, autoretry=False, max_attempts=1)


def send(config, phone, template_code, params, out_id=""):
    """``SendSms`` one text; returns a :class:`SendOutcome` or raises :class:`NoAnswer`."""
    request = sms_models.SendSmsRequest(phone_numbers=phone, sign_name=config["SMS_SIGN_NAME"],
                                        template_code=template_code,
                                        template_param=json.dumps(params, ensure_ascii=False), out_id=str(out_id))
    try:
        body = client(config).send_sms_with_options(request, _runtime(config)).body
    except Exception as exc:  # the SDK raises its own classes for HTTP errors and network failures alike
        return _refusal(exc)
    return SendOutcome(body.code or "", body.message or "", body.biz_id or "")


def query(config, phone, send_date, biz_id=""):
    """``QuerySendDetails`` for one number on one day (``yyyyMMdd``); a list of :class:`Detail`."""
    request = sms_models.QuerySendDetailsRequest(phone_number=phone, send_date=send_date, biz_id=biz_id or None,
                                                 page_size=50, current_page=1)
    try:
        body = client(config).query_send_details_with_options(request, _runtime(config)).body
    except Exception as exc:
        outcome = _refusal(exc)
        raise NoAnswer(f"{outcome.code}: {outcome.message}") from exc
    if body.code != "OK":
        raise NoAnswer(f"{body.code}: {body.message}")
    found = (body.sms_send_detail_dtos.sms_send_detail_dto or []) if body.sms_send_detail_dtos else []
    return [Detail(SEND_STATUS.get(d.send_status, "sent"), d.err_code or "", d.out_id or "", d.send_date or "")
            for d in found]


def _refusal(exc):
    """An answered HTTP error as an outcome with the provider's code; no answer raises NoAnswer."""
    code = getattr(exc, "code", None)
    data = getattr(exc, "data", None) or {}
    if code and (data or getattr(exc, "status_code", None)):
        return SendOutcome(str(code), str(getattr(exc, "message", "") or data.get("Message", "")))
    raise NoAnswer(f"{type(exc).__name__}: {exc}") from exc
