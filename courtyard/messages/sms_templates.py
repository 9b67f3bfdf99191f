"""The SMS templates (短信模板): one per message kind, with its Chinese text and its variables.

Alibaba Cloud SMS sends only registered templates: the county registers each text below with the
provider (签名 + 模板), then sets the template code it got in ``COURTYARD_SMS_TEMPLATE_<KIND>``
(e.g. ``COURTYARD_SMS_TEMPLATE_ALLOCATION_PUBLISHED=SMS_465870123``). The text is also what the
inbox shows, filled in with the same variables. Variables are ``${name}``, as the provider writes
them; each value must stay within the provider's limit (35 characters for a notification
template's variable), so the code sends figures, not sentences.

``money``: messages about money always reach the inbox, whatever the person chose.
``roles``: who receives the kind (a household's choices are set by its work team).
"""

import re
from dataclasses import dataclass

VARIABLE = re.compile(r"\$\{(\w+)\}")
MAX_VARIABLE_LENGTH = 35


@dataclass(frozen=True)
class Template:
    kind: str
    title: str  # the inbox's subject line (Chinese, like the text)
    text: str
    roles: tuple
    money: bool = False
    default_channels: tuple = ("sms",)

    @property
    def variables(self):
        return tuple(VARIABLE.findall(self.text))

    @property
    def config_key(self):
        return f"SMS_TEMPLATE_{self.kind.upper()}"

    @property
    def dev_code(self):
        """The code the local sink and the demo use until the county sets a real one."""
        return f"SMS_DEV_{self.kind.upper()}"


TEMPLATES = {t.kind: t for t in (
    Template("allocation_published", "供货安排已公示",
             "${village}${name}您好：${campaign}供货安排已公示，请准备${goods}，于${when}送到${place}。",
             ("household",)),
    Template("collection_reminder", "明天收货",
             "${name}您好：明天${when}在${place}收货，请带上${goods}。", ("household",)),
    Template("goods_accepted", "货品已验收",
             "${name}您好：您交的${goods}已验收合格，收入${amount}元记入账单。", ("household",), money=True),
    Template("goods_rejected", "货品未通过验收",
             "${name}您好：您交的${goods}未通过验收，原因：${reason}。", ("household",)),
    Template("shortfall_assigned", "补交货品",
             "${name}您好：因有农户缺货，请您补交${goods}，于${when}送到${place}。", ("household",)),
    Template("payout_made", "货款已发放",
             "${name}您好：${amount}元货款已转入您尾号${last4}的银行卡。", ("household",), money=True),
    Template("payout_cash", "货款已发放",
             "${name}您好：${amount}元货款已以现金发放给您，请核对。", ("household",), money=True),
    Template("pin_reset", "登录密码已重置",
             "${name}您好：您的庭院登录密码已由驻村工作队重置，新密码请向工作队当面领取。", ("household",)),
    Template("visit_hosted", "采摘接待",
             "${name}您好：${when}的${visit}有${people}位客人到您家，每位${fee}元，请做好准备。", ("household",)),
    Template("supply_reduced", "供货安排已调整",
             "${name}您好：因有认购撤回，${campaign}您家的供货调整为：${goods}。", ("household",)),
    Template("adoption_moved_away", "认养已转出",
             "${name}您好：${campaign}的认养${package}已转给其他农户饲养，原因：${reason}。", ("household",)),
    Template("adoption_moved_here", "新的认养",
             "${name}您好：${campaign}的认养${package}改由您家饲养，请做好准备。", ("household",)),
    Template("adoption_ended", "认养已结束",
             "${name}您好：${campaign}的认养${package}已结束，原因：${reason}。", ("household",)),
    Template("round_cutoff", "配货待审核",
             "${village}工作队：${campaign}${round}已截单，配货结果待审核。", ("team",)),
    Template("supply_reduced_team", "配货已调整",
             "${village}工作队：认购${reference}撤回，${campaign}有${count}户供货已调整，请查看配货页。", ("team",)),
    Template("team_shortfall", "收货缺口",
             "${village}工作队：${round}收货后缺${goods}，请安排补货。", ("team",)),
    Template("complaint_village", "配送问题涉及本村",
             "${village}工作队：${unit}反映${problem}，涉及本村货品，请跟进。", ("team",)),
    Template("payouts_waiting", "待发放货款",
             "${village}工作队：有${count}户共${amount}元货款待发放。", ("team",), money=True),
    Template("pledge_paid", "认购已付款",
             "${unit}：认购${reference}已付款${amount}元，谢谢支持。", ("partner",), money=True,
             default_channels=("sms", "mail")),
    Template("pledge_action", "认购待处理",
             "${unit}：认购${reference}需要处理：${action}。", ("partner",), money=True,
             default_channels=("sms", "mail")),
    Template("pledge_released", "认购已释放",
             "${unit}：认购${reference}已取消或退款，${amount}元。", ("partner",), money=True,
             default_channels=("sms", "mail")),
    Template("invoice_issued", "发票已开具",
             "${unit}：认购${reference}的发票${number}已开具，金额${amount}元，请在平台下载。", ("partner",), money=True,
             default_channels=("sms", "mail")),
    Template("invoice_reversed", "发票已红冲",
             "${unit}：认购${reference}的发票${number}已红冲（红字发票${red_number}），可重新申请开票。", ("partner",),
             money=True, default_channels=("sms", "mail")),
    Template("delivery_shipped", "货品已发出",
             "${unit}：您认购的${package}已发出，预计${when}送达。", ("partner",)),
    Template("visit_reminder", "采摘提醒",
             "${unit}：您报名的${village}采摘活动将于${when}开始。", ("partner",)),
    Template("job_failed", "后台任务失败",
             "县电商办：后台任务${job}运行失败，请查看任务页。", ("county",)),
    Template("complaint_due", "投诉即将超时",
             "县电商办：${unit}的投诉将于${when}超过48小时时限。", ("county",)),
    Template("login_code", "登录验证码",
             "您的庭院登录验证码是${code}，5分钟内有效，请勿告诉他人。", ("staff",)),
    Template("staff_offer_reminder", "职工自选提醒",
             "${name}您好：${unit}职工自选将于${when}截止，请登录庭院选择您的套餐。", ("staff",)),
)}


def render(kind, params):
    """The template's text with ``params`` filled in (a missing variable is left blank)."""
    return VARIABLE.sub(lambda m: str(params.get(m.group(1), "")), TEMPLATES[kind].text)


def check_params(kind, params):
    """Every variable given, as text within the provider's length limit; raises ValueError otherwise."""
    template = TEMPLATES[kind]
    missing = [name for name in template.variables if name not in params]
    if missing:
        raise ValueError(f"{kind}: missing {', '.join(missing)}")
    clean = {}
    for name in template.variables:
        value = " ".join(str(params[name]).split())  # one line: no newlines reach the provider
        clean[name] = value[:MAX_VARIABLE_LENGTH]
    return clean


def kind_of_code(code, config=None):
    """The kind whose template code is ``code`` (configured or dev), else None."""
    for template in TEMPLATES.values():
        if code == template.dev_code or (config and config.get(template.config_key) == code):
            return template.kind
    return None
