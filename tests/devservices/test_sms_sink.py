"""The SMS sink answers the official SDK like Alibaba Cloud: signed requests only, texts kept as files."""

from courtyard.devservices.sms_sink import read_texts, running_sms_sink
from courtyard.messages import sms_provider


def _config(server, **changes):
    return {"SMS_ACCESS_KEY_ID": "courtyard-dev", "SMS_ACCESS_KEY_SECRET": "courtyard-dev-secret",
            "SMS_ENDPOINT": f"127.0.0.1:{server.port}", "SMS_PROTOCOL": "http", "SMS_TIMEOUT": 1.0,
            "SMS_SIGN_NAME": "庭院"} | changes


def test_a_signed_text_is_kept_with_its_template_filled_in_and_found_again(tmp_path):
    """Does a SendSms through the SDK come back OK with a BizId, land as a file with the text, and show in
    QuerySendDetails with its OutId?"""
    with running_sms_sink(tmp_path) as server:
        outcome = sms_provider.send(_config(server), "13901000000", "SMS_DEV_PIN_RESET", {"name": "王秀英"}, out_id=42)
        [text] = read_texts(tmp_path)
        [detail] = sms_provider.query(_config(server), "13901000000", text["SendDate"][:10].replace("-", ""))
    assert outcome.ok and outcome.biz_id == text["BizId"]
    assert text["Content"] == "【庭院】王秀英您好：您的庭院登录密码已由驻村工作队重置，新密码请向工作队当面领取。"
    assert (detail.status, detail.out_id) == ("delivered", "42")


def test_a_wrong_secret_or_key_is_refused_and_nothing_is_kept(tmp_path):
    """Does a request signed with another secret get SignatureDoesNotMatch, an unknown key InvalidAccessKeyId?"""
    with running_sms_sink(tmp_path) as server:
        wrong_secret = sms_provider.send(_config(server, SMS_ACCESS_KEY_SECRET="guess"), "13901000000",
                                         "SMS_DEV_PIN_RESET", {"name": "x"})
        wrong_key = sms_provider.send(_config(server, SMS_ACCESS_KEY_ID="nobody"), "13901000000",
                                      "SMS_DEV_PIN_RESET", {"name": "x"})
    assert wrong_secret.code == "SignatureDoesNotMatch" and not wrong_secret.ok
    assert wrong_key.code == "InvalidAccessKeyId.NotFound"
    assert read_texts(tmp_path) == []


def test_it_fails_on_request(tmp_path):
    """Told to, does it answer a limit code once, then keep silent (the SDK times out), then accept again?"""
    with running_sms_sink(tmp_path) as server:
        server.sink.fail_next("isv.BUSINESS_LIMIT_CONTROL")
        server.sink.fail_next("silence")
        limited = sms_provider.send(_config(server), "13901000000", "SMS_DEV_PIN_RESET", {"name": "x"})
        try:
            sms_provider.send(_config(server, SMS_TIMEOUT=0.5), "13901000000", "SMS_DEV_PIN_RESET", {"name": "x"})
            silent = False
        except sms_provider.NoAnswer:
            silent = True
        accepted = sms_provider.send(_config(server), "13901000000", "SMS_DEV_PIN_RESET", {"name": "x"})
    assert limited.code == "isv.BUSINESS_LIMIT_CONTROL" and silent and accepted.ok
    assert len(read_texts(tmp_path)) == 1
