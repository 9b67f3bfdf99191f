"""The SMTP sink keeps mail as .eml files that read back intact, Chinese included."""

import logging
import smtplib
from email.message import EmailMessage

from courtyard.devservices.smtp_sink import read_messages, running_smtp_sink

SUBJECT = "您的认购已确认：王家村土鸡蛋"


def test_chinese_mail_is_stored_and_read_back(tmp_path, caplog):
    """A mail with a Chinese subject, body and Bcc is stored, read back and logged decoded."""
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = "庭院 <noreply@courtyard.test>"
    message["To"] = "张三 <zhang@example.com>"
    message.set_content("感谢您对王家村的帮扶。")
    caplog.set_level(logging.INFO, logger="courtyard.devservices.smtp_sink")

    with running_smtp_sink(tmp_path / "mail") as (host, port):
        with smtplib.SMTP(host, port) as smtp:
            smtp.send_message(message, to_addrs=["zhang@example.com", "audit@example.com"])

    [received] = read_messages(tmp_path / "mail")
    assert received["Subject"] == SUBJECT
    assert received["To"].addresses[0].display_name == "张三"
    assert received.get_content().strip() == "感谢您对王家村的帮扶。"
    assert received["X-RcptTo"] == "zhang@example.com, audit@example.com"
    assert f"zhang@example.com, audit@example.com: {SUBJECT}" in caplog.text


def test_messages_come_back_in_arrival_order(tmp_path):
    """Several messages are read back oldest first."""
    with running_smtp_sink(tmp_path) as (host, port):
        with smtplib.SMTP(host, port) as smtp:
            for number in range(3):
                smtp.sendmail("a@example.com", ["b@example.com"],
                              f"Subject: mail {number}\r\n\r\nbody {number}\r\n")

    assert [m["Subject"] for m in read_messages(tmp_path)] == ["mail 0", "mail 1", "mail 2"]
