"""All models, imported here so the metadata (and Alembic) sees every table."""

from courtyard.models.accounts import ROLES, STAFF_ROLE, User
from courtyard.models.api_tokens import ApiToken
from courtyard.models.audit import AuditEvent
from courtyard.models.bank_statements import (
    LINE_STATES, OPEN_LINE_STATES, StatementImport, StatementLine, StatementPreset,
)
from courtyard.models.calendar import CalendarToken
from courtyard.models.campaigns import (
    CAMPAIGN_MODES, CAMPAIGN_STATES, GOAL_KINDS, TRANSITIONS, Campaign, CampaignPackage, CampaignStateChange,
)
from courtyard.models.ledger import (
    ACCOUNTS, COST_KINDS, PAYOUT_METHODS, TRANSACTION_KINDS, LedgerEntry, LedgerTransaction, PayoutBatch,
)
from courtyard.models.invoices import INVOICE_FILE_KINDS, INVOICE_STATES, INVOICE_TRANSITIONS, Invoice
from courtyard.models.outbox import OutboxMessage
from courtyard.models.messages import CHANNELS, DELIVERY_STATES, Notice, NoticeDelivery, NoticePreference
from courtyard.models.payments import BankTransfer, CardPayment, Refund, WebhookEvent
from courtyard.models.saved_cards import SavedCard
from courtyard.models.pledges import (
    HOLDING_STATES, PAYMENT_METHODS, PLEDGE_STATES, PLEDGE_TRANSITIONS, DeliveryAddress, Pledge, PledgeLine,
)
from courtyard.models.deliveries import (
    DELIVERY_STATES, RESOLUTIONS, ROUND_STATES, Box, BoxBatch, CollectionDay, CollectionRecord, Delivery, DeliveryComplaint,
    DeliveryPlan, DeliveryRound,
)
from courtyard.models.field_changes import FIELD_OUTCOMES, FieldChange
from courtyard.models.dashboard import (
    DashboardEarning, DashboardMoney, DashboardSummaryState, LedgerRollup, VillageOwedRollup,
)
from courtyard.models.catalog import CATEGORIES, PACKAGE_KINDS, Package, PackageItem, ProduceItem
from courtyard.models.households import DEFAULT_TIER_WEIGHTS_PERMILLE, TIERS, Household, TierWeight
from courtyard.models.jobs import JOB_OUTCOMES, JobLease
from courtyard.models.breakers import ServiceBreaker
from courtyard.models.login_failures import LoginFailure
from courtyard.models.login_codes import LoginCode
from courtyard.models.staff_offers import (
    OFFER_STATES, StaffBox, StaffChoice, StaffChoiceLine, StaffMember, StaffOffer, staff_offer_package,
    staff_offer_point,
)
from courtyard.models.places import Township, Village
from courtyard.models.scheduler import scheduler_job
from courtyard.models.supply import (
    RUN_STATES, Adoption, AllocationAdjustment, AllocationLine, AllocationRun, CapacityDeclaration, SupplyShare,
)
from courtyard.models.teams import WorkTeam
from courtyard.models.cooperatives import (
    COOPERATIVE_KINDS, FEE_KINDS, Cooperative, CooperativeDeclaration, CooperativeMember,
)
from courtyard.models.contracts import CONTRACT_STATES, PurchaseContract
from courtyard.models.integrity import SANCTION_KINDS, BoxRating, Sanction
from courtyard.models.trace import INPUT_CHOICES, INPUT_KINDS, BoxScan, HouseholdBatch, QualityCheck
from courtyard.models.units import UNIT_KINDS, PartnerUnit, unit_village
from courtyard.models.visits import (
    ACTIVITIES, ATTENDANCE, OPEN_VISIT_STATES, REGISTRATION_STATES, VISIT_STATES, WHO_MAY_REGISTER, Visit, VisitDateChange,
    VisitHost, VisitRegistration,
)

__all__ = [
    "ServiceBreaker", "LoginFailure", "LoginCode", "OFFER_STATES", "StaffBox", "StaffChoice", "StaffChoiceLine", "StaffMember",
    "StaffOffer", "staff_offer_package", "staff_offer_point",
    "ROLES", "STAFF_ROLE", "User", "ApiToken", "AuditEvent", "CATEGORIES", "Package", "PackageItem", "ProduceItem",
    "DEFAULT_TIER_WEIGHTS_PERMILLE", "TIERS", "Household", "TierWeight", "Township", "Village",
    "WorkTeam", "UNIT_KINDS", "PartnerUnit", "unit_village", "CAMPAIGN_MODES", "CAMPAIGN_STATES", "GOAL_KINDS",
    "TRANSITIONS", "Campaign", "CampaignPackage", "CampaignStateChange", "OutboxMessage", "CHANNELS", "DELIVERY_STATES", "Notice", "NoticeDelivery",
    "NoticePreference", "BankTransfer", "CardPayment", "SavedCard",
    "Refund", "WebhookEvent", "HOLDING_STATES", "PAYMENT_METHODS", "PLEDGE_STATES", "PLEDGE_TRANSITIONS", "DeliveryAddress", "Pledge",
    "PledgeLine", "scheduler_job", "RUN_STATES", "AllocationAdjustment", "AllocationLine", "AllocationRun",
    "CapacityDeclaration", "CalendarToken", "JOB_OUTCOMES", "JobLease", "Adoption", "SupplyShare", "PACKAGE_KINDS",
    "ACTIVITIES", "ATTENDANCE", "OPEN_VISIT_STATES", "REGISTRATION_STATES", "VISIT_STATES",
    "WHO_MAY_REGISTER", "Visit", "VisitDateChange", "VisitHost", "VisitRegistration",
    "DELIVERY_STATES", "RESOLUTIONS", "ROUND_STATES", "Box", "BoxBatch", "CollectionDay",
    "CollectionRecord", "Delivery", "DeliveryComplaint", "DeliveryPlan", "DeliveryRound",
    "ACCOUNTS", "COST_KINDS", "PAYOUT_METHODS", "TRANSACTION_KINDS", "LedgerEntry", "LedgerTransaction", "PayoutBatch",
    "INPUT_CHOICES", "INPUT_KINDS", "BoxScan", "HouseholdBatch", "QualityCheck",
    "DashboardEarning", "DashboardMoney", "DashboardSummaryState", "LedgerRollup", "VillageOwedRollup",
    "FIELD_OUTCOMES", "FieldChange",
    "INVOICE_FILE_KINDS", "INVOICE_STATES", "INVOICE_TRANSITIONS", "Invoice",
    "LINE_STATES", "OPEN_LINE_STATES", "StatementImport", "StatementLine", "StatementPreset",
    "COOPERATIVE_KINDS", "FEE_KINDS", "Cooperative", "CooperativeDeclaration", "CooperativeMember",
    "CONTRACT_STATES", "PurchaseContract", "SANCTION_KINDS", "BoxRating", "Sanction",
]
