"""A local stand-in for Alibaba Cloud SMS: answers ``SendSms`` and ``QuerySendDetails`` and keeps each text.

    python -m courtyard.devservices.sms_sink --port 8430 --dir instance/sms \
        --access-key-id courtyard-dev --access-key-secret courtyard-dev-secret

The official SDK reaches it when ``COURTYARD_SMS_ENDPOINT=127.0.0.1:8430`` and
``COURTYARD_SMS_PROTOCOL=http``. Every request's ACS3-HMAC-SHA256 signature is checked with the
configured secret; a wrong one is answered like the provider (HTTP 400 ``SignatureDoesNotMatch``),
an unknown key with 404 ``InvalidAccessKeyId.NotFound``. Each accepted text is written as
``<dir>/<time>-<BizId>.json`` (number, sign name, template code, variables, ``OutId`` and the
text filled in when the template is one of the repo's).

It can be told to fail, to test the failure paths: ``sink.fail_next(code, times)`` in a test, or
``POST /_sink/fail`` with ``{"code": "isv.BUSINESS_LIMIT_CONTROL", "times": 2}``; the code
``"silence"`` makes it keep the connection open and never answer (the SDK's read timeout).
``POST /_sink/reset`` clears the failures.
"""

import argparse
import contextlib
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8430
DEFAULT_DIR = "instance/sms"
DEFAULT_KEY_ID = "courtyard-dev"
DEFAULT_SECRET = "courtyard-dev-secret"
SILENCE = "silence"
SHANGHAI = timezone(timedelta(hours=8))
FAILURE_MESSAGES = {
    "isv.BUSINESS_LIMIT_CONTROL": "触发号码分钟级流控Permits:1",
    "isv.MOBILE_NUMBER_ILLEGAL": "非法手机号",
    "isv.AMOUNT_NOT_ENOUGH": "账户余额不足",
}


def canonical_request(method, path, query, headers, signed_headers, payload_hash):
    """The ACS3 canonical request, as the SDK builds it (``alibabacloud_tea_openapi.utils``)."""
    query_string = "&".join(f"{key}={quote(value, safe='~')}" for key, value in sorted(query.items()))
    header_lines = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in signed_headers)
    return f"{method}\n{path or '/'}\n{query_string}\n{header_lines}\n{';'.join(signed_headers)}\n{payload_hash}"


def expected_signature(secret, method, path, query, headers, signed_headers, payload_hash):
    request = canonical_request(method, path, query, headers, signed_headers, payload_hash)
    to_sign = f"ACS3-HMAC-SHA256\n{hashlib.sha256(request.encode('utf-8')).hexdigest()}"
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_authorization(value):
    """``ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`` as a dict, or None."""
    algorithm, _, rest = (value or "").partition(" ")
    if algorithm != "ACS3-HMAC-SHA256":
        return None
    parts = dict(part.split("=", 1) for part in rest.split(",") if "=" in part)
    if not {"Credential", "SignedHeaders", "Signature"} <= parts.keys():
        return None
    return parts


class SmsSink:
    """The sink's state: where texts go, the one key it accepts, and the failures it was told to give."""

    def __init__(self, sms_dir, access_key_id=DEFAULT_KEY_ID, access_key_secret=DEFAULT_SECRET):
        self.dir = Path(sms_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.access_key_id = access_key_id
        self.access_key_secret = access_key_secret
        self._failures = []
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self.stopping = threading.Event()

    def fail_next(self, code, times=1):
        with self._lock:
            self._failures.extend([code] * times)

    def reset(self):
        with self._lock:
            self._failures.clear()

    def _next_failure(self):
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def check_signature(self, method, path, query, headers, body):
        """None when the request is signed with the secret; else ``(http_status, code, message)``."""
        auth = parse_authorization(headers.get("authorization"))
        if auth is None:
            return 400, "MissingAuthorization", "Authorization is mandatory for this action."
        if auth["Credential"] != self.access_key_id:
            return 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
        payload_hash = headers.get("x-acs-content-sha256", "")
        if payload_hash != hashlib.sha256(body).hexdigest():
            return 400, "IncompleteSignature", "The request body does not match x-acs-content-sha256."
        signed = auth["SignedHeaders"].split(";")
        expected = expected_signature(self.access_key_secret, method, path, query, headers, signed, payload_hash)
        if not hmac.compare_digest(expected, auth["Signature"]):
            return 400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."
        return None

    def send_sms(self, query):
        failure = self._next_failure()
        if failure == SILENCE:
            return SILENCE
        request_id = str(uuid.uuid4()).upper()
        if failure:
            return {"Code": failure, "Message": FAILURE_MESSAGES.get(failure, failure), "RequestId": request_id}
        for name in ("PhoneNumbers", "SignName", "TemplateCode"):
            if not query.get(name):
                return {"Code": "MissingParameter", "Message": f"{name} is mandatory.", "RequestId": request_id}
        try:
            params = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            return {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法", "RequestId": request_id}
        now = datetime.now(SHANGHAI)
        biz_id = f"{int(time.time() * 1000)}{next(self._counter):06d}^0"
        record = {"PhoneNumbers": query["PhoneNumbers"], "SignName": query["SignName"],
                  "TemplateCode": query["TemplateCode"], "TemplateParam": params, "OutId": query.get("OutId", ""),
                  "BizId": biz_id, "SendDate": now.strftime("%Y-%m-%d %H:%M:%S"),
                  "Content": f"【{query['SignName']}】{_render(query['TemplateCode'], params)}"}
        name = f"{time.time_ns()}-{biz_id.replace('^', '-')}.json"
        (self.dir / name).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        log.info("SMS to %s: %s", record["PhoneNumbers"], record["Content"])
        return {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": request_id}

    def query_send_details(self, query):
        request_id = str(uuid.uuid4()).upper()
        phone, biz_id, date = query.get("PhoneNumber", ""), query.get("BizId", ""), query.get("SendDate", "")
        details = []
        for record in read_texts(self.dir):
            if record["PhoneNumbers"] != phone or (biz_id and record["BizId"] != biz_id):
                continue
            if date and record["SendDate"][:10].replace("-", "") != date:
                continue
            details.append({"PhoneNum": phone, "SendStatus": 3, "ErrCode": "DELIVERED",
                            "TemplateCode": record["TemplateCode"], "Content": record["Content"],
                            "SendDate": record["SendDate"], "ReceiveDate": record["SendDate"],
                            "OutId": record["OutId"]})
        return {"Code": "OK", "Message": "OK", "RequestId": request_id, "TotalCount": len(details),
                "SmsSendDetailDTOs": {"SmsSendDetailDTO": details}}


def _render(code, params):
    from courtyard.messages.sms_templates import kind_of_code, render

    kind = kind_of_code(code)
    return render(kind, params) if kind else json.dumps(params, ensure_ascii=False)


def read_texts(sms_dir):
    """The texts the sink kept, oldest first, as dicts."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(Path(sms_dir).glob("*.json"))]


class _Handler(BaseHTTPRequestHandler):
    server_version = "courtyard-sms-sink"

    def log_message(self, format, *args):  # noqa: A002  (the base class's name)
        log.debug(format, *args)

    def do_POST(self):
        sink = self.server.sink
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path.startswith("/_sink/"):
            return self._control(sink, url.path, body)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        headers = {name.lower(): value for name, value in self.headers.items()}
        refused = sink.check_signature("POST", url.path, query, headers, body)
        if refused:
            status, code, message = refused
            return self._json(status, {"Code": code, "Message": message, "RequestId": str(uuid.uuid4()).upper(),
                                       "HostId": "dysmsapi.aliyuncs.com"})
        action = headers.get("x-acs-action")
        if action == "SendSms":
            answer = sink.send_sms(query)
            if answer == SILENCE:
                sink.stopping.wait(60)  # hold the connection: the caller's read timeout fires
                return None
            return self._json(200, answer)
        if action == "QuerySendDetails":
            return self._json(200, sink.query_send_details(query))
        return self._json(404, {"Code": "InvalidAction.NotFound", "Message": f"{action} is not supported.",
                                "RequestId": str(uuid.uuid4()).upper()})

    def _control(self, sink, path, body):
        if path == "/_sink/fail":
            order = json.loads(body or b"{}")
            sink.fail_next(order.get("code", "isv.BUSINESS_LIMIT_CONTROL"), int(order.get("times", 1)))
        elif path == "/_sink/reset":
            sink.reset()
        else:
            return self._json(404, {"Code": "NotFound"})
        return self._json(200, {"Code": "OK"})

    def _json(self, status, payload):
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class SinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sink, host, port):
        super().__init__((host, port), _Handler)
        self.sink = sink

    @property
    def port(self):
        return self.server_address[1]


def start_sms_sink(sms_dir=DEFAULT_DIR, *, host=DEFAULT_HOST, port=DEFAULT_PORT, access_key_id=DEFAULT_KEY_ID,
                   access_key_secret=DEFAULT_SECRET):
    """Serve in a background thread; return the server (``.port``, ``.sink``, ``.shutdown()``)."""
    server = SinkServer(SmsSink(sms_dir, access_key_id, access_key_secret), host, port)
    threading.Thread(target=server.serve_forever, name="sms-sink", daemon=True).start()
    return server


@contextlib.contextmanager
def running_sms_sink(sms_dir, **kwargs):
    """Run the sink on a free port while the block runs; yield the server."""
    server = start_sms_sink(sms_dir, port=0, **kwargs)
    try:
        yield server
    finally:
        server.sink.stopping.set()
        server.shutdown()
        server.server_close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--dir", default=DEFAULT_DIR)
    parser.add_argument("--access-key-id", default=DEFAULT_KEY_ID)
    parser.add_argument("--access-key-secret", default=DEFAULT_SECRET)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s sms-sink %(message)s")
    server = SinkServer(SmsSink(args.dir, args.access_key_id, args.access_key_secret), args.host, args.port)
    log.info("SMS sink on %s:%s, texts in %s", args.host, server.port, args.dir)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
