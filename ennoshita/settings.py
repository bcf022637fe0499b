"""Django settings. Configuration only: every value that differs between machines comes from the
environment (docs/operations.md lists them).

ENNOSHITA_ENV selects the profile:
- ``local`` (default; what ``make run`` uses): plain HTTP on 127.0.0.1, secret key kept in var/.
- ``production``: HTTPS-only cookies, HSTS, SSL redirect; ``manage.py check --deploy`` is clean.
- ``test``: chosen automatically under pytest; fast hasher, no throttling state between tests.
"""

import os
import secrets
import sys
from pathlib import Path
from types import SimpleNamespace

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ENNOSHITA_VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("ENNOSHITA_ENV", "test" if "pytest" in sys.modules else "local")
TESTING = ENV == "test"
PRODUCTION = ENV == "production"


def _secret_key() -> str:
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    if PRODUCTION:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when ENNOSHITA_ENV=production")
    if TESTING:
        return "test-only-not-secret-" + "x" * 40
    # A local install keeps its own random key so that sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# 要配慮個人情報 (健康診断の結果 …) are encrypted at rest with this key (core/crypto.py); without it the
# key is derived from SECRET_KEY. Keep it with the backups: encrypted fields restore only with it.
ENNOSHITA_FIELD_KEY = os.environ.get("ENNOSHITA_FIELD_KEY", "")
# older field keys, read only, while values are re-encrypted after a key change (comma-separated)
ENNOSHITA_FIELD_KEYS_OLD = [
    k.strip() for k in os.environ.get("ENNOSHITA_FIELD_KEYS_OLD", "").split(",") if k.strip()
]
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
if TESTING:
    ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "ennoshita.core",
    "ennoshita.documents",
    "ennoshita.people",
    "ennoshita.ledger",
    "ennoshita.sales",
    "ennoshita.approvals",
    "ennoshita.expenses",
    "ennoshita.attendance",
    "ennoshita.purchasing",
    "ennoshita.costs",
    "ennoshita.payroll",
    "ennoshita.affairs",
    "ennoshita.frontdesk",
    "ennoshita.legal",
    "ennoshita.requests",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ennoshita.core.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ennoshita.core.tenancy.ActiveMembershipMiddleware",
    "ennoshita.core.assistant_trail.AssistantTrailMiddleware",
    "ennoshita.core.api.ApiProblemMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ennoshita.urls"
WSGI_APPLICATION = "ennoshita.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ennoshita.navigation.navigation",
            ],
        },
    },
]

# SQLite (WAL) by default; PostgreSQL through DATABASE_URL=postgres://user@host:5432/name.
# var/ holds the database, the secret key and uploaded files: personal data, so only our user reads it.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ennoshita.sqlite3'}"),
        conn_max_age=0 if TESTING else 60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN
        # so that two writers queue instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "core:login"

# Login throttling (django-axes): 5 failures for one username from one address lock for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = not TESTING or os.environ.get("AXES_IN_TESTS") == "1"
# Behind a reverse proxy, set ENNOSHITA_PROXY_COUNT to the number of proxies in front of the app so
# that throttling counts the client's address (from X-Forwarded-For), not the proxy's.
ENNOSHITA_PROXY_COUNT = int(os.environ.get("ENNOSHITA_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "ennoshita.core.web.client_ip"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [Path(os.environ.get("ENNOSHITA_LOCALE_DIR", BASE_DIR / "ennoshita" / "locale"))]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Progress of background jobs, shared by the worker and the web processes without a server: a
    # job that writes in one long transaction cannot show its progress through the database.
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "progress"),
        "TIMEOUT": 24 * 3600,
    },
}
# E-mail (invoices sent from the screens): kept as files under var/mail unless a real server is
# configured (docs/operations.md §E-mail); tests keep mail in memory.
EMAIL_BACKEND = (
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else os.environ.get("ENNOSHITA_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("ENNOSHITA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("ENNOSHITA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ENNOSHITA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ENNOSHITA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("ENNOSHITA_EMAIL_TLS", "") == "1"
# the address links in e-mails point at (通知メール)
ENNOSHITA_BASE_URL = os.environ.get("ENNOSHITA_BASE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("ENNOSHITA_EMAIL_FROM", "noreply@ennoshita.local")

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background work (ARCHITECTURE: django-tasks with the database backend). `make run` starts
# `manage.py run_worker` beside the web server; tests run every task at once, in the caller.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENV == "test"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Jobs the worker starts on its own, each at most once per slot (core.schedule).
ENNOSHITA_SCHEDULED_JOBS = [
    "ennoshita.core.schedule.SCHEDULED_BACKUP",
    "ennoshita.core.schedule.PRUNE_TASK_RESULTS",
    "ennoshita.documents.tasks.DAILY_PURGE_TRASH",
]

NINJA_PAGINATION_PER_PAGE = 50
ENNOSHITA_API = "ennoshita.api.api"
# documents sits below people: the departments a user belongs to reach it through this hook.
ENNOSHITA_DEPARTMENTS_OF = "ennoshita.people.selectors.department_ids_of_user"
ENNOSHITA_DEPARTMENT_CHOICES = "ennoshita.people.selectors.department_choices"
# What a new company gets from the domain apps (called by core.services.create_company).
ENNOSHITA_ON_COMPANY_CREATED = ["ennoshita.ledger.services.on_company_created"]
# What the demo command adds after people and documents (apps above people hook in here).
# The screen of each kind of source document that posts to the ledger (the journal entry links to
# it; the ledger does not import the apps above it).
ENNOSHITA_ENTRY_SOURCES = {"sales.invoice": "sales:invoice_detail", "sales.payment": "sales:payment_detail"}
ENNOSHITA_ENTRY_SOURCES["sales.advance"] = "sales:payment_detail"  # 前受金の充当: the payment drawn on
ENNOSHITA_ENTRY_SOURCES["sales.refund"] = "sales:payment_detail"  # 前受金の返金: the payment drawn on
ENNOSHITA_ENTRY_SOURCES["expenses.claim"] = "expenses:claim_detail"  # 経費精算 (approved claims)
ENNOSHITA_ENTRY_SOURCES["purchasing.bill"] = "purchasing:bill_detail"  # 仕入先請求書 (approved bills)
ENNOSHITA_ENTRY_SOURCES["purchasing.payment_run"] = "purchasing:payment_run_detail"  # 支払処理 (全銀ファイル)
ENNOSHITA_ENTRY_SOURCES["payroll.run"] = "payroll:run_detail"  # 給与計算 (confirmed runs)
ENNOSHITA_ENTRY_SOURCES["payroll.severance"] = "payroll:severance_detail"  # 退職金 (confirmed severance pay)
ENNOSHITA_DEMO_EXTRAS = [
    "ennoshita.ledger.demo.build_demo_books",
    "ennoshita.sales.demo.build_demo_sales",
    "ennoshita.approvals.demo.build_demo_approvals",
]
# Request types of approvals: type -> {"label", "on_decided": dotted path called when a request ends,
# "url_name"}; each owning app (経費精算 …) adds its entry.
ENNOSHITA_APPROVAL_TYPES: dict = {}
ENNOSHITA_APPROVAL_TYPES["expenses.claim"] = {"label": "経費精算", "on_decided": "ennoshita.expenses.services.on_claim_decided", "url_name": "expenses:claim_detail"}  # fmt: skip
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.expenses.demo.build_demo_expenses")  # after the approvals demo
ENNOSHITA_APPROVAL_TYPES["purchasing.bill"] = {"label": "仕入先請求書", "on_decided": "ennoshita.purchasing.services.bills.on_bill_decided", "url_name": "purchasing:bill_detail"}  # fmt: skip
# 勤怠の申請: one route without amounts, 所属長 then 人事 (steps carry approvals.routing.StepSpec's
# fields; settings cannot import the approvals app); overtime requests and shift swaps: 所属長 only.
ATTENDANCE_MANAGER_ROUTE = [{"name": "%(label)s", "priority": 10, "min_amount": None, "max_amount": None, "steps": [SimpleNamespace(kind="manager", name="所属長", role="", users=())]}]  # fmt: skip
ATTENDANCE_DEFAULT_ROUTES = [{"name": "%(label)s", "priority": 10, "min_amount": None, "max_amount": None, "steps": [SimpleNamespace(kind="manager", name="所属長", role="", users=()), SimpleNamespace(kind="role", name="人事", role="hr", users=())]}]  # fmt: skip
ENNOSHITA_APPROVAL_TYPES["attendance.correction"] = {"label": "打刻修正", "on_decided": "ennoshita.attendance.services.corrections.on_correction_decided", "url_name": "attendance:correction_detail", "default_routes": ATTENDANCE_DEFAULT_ROUTES}  # fmt: skip
ENNOSHITA_APPROVAL_TYPES["attendance.shift_swap"] = {"label": "シフト交換", "on_decided": "ennoshita.attendance.services.shifts.on_swap_decided", "url_name": "attendance:shift_swap_detail", "default_routes": ATTENDANCE_MANAGER_ROUTE}  # fmt: skip
ENNOSHITA_APPROVAL_TYPES["attendance.leave"] = {"label": "休暇申請", "on_decided": "ennoshita.attendance.services.leave.on_leave_decided", "url_name": "attendance:leave_detail", "default_routes": ATTENDANCE_DEFAULT_ROUTES}  # fmt: skip
ENNOSHITA_APPROVAL_TYPES["attendance.overtime"] = {"label": "残業申請", "on_decided": "ennoshita.attendance.services.overtime.on_overtime_decided", "url_name": "attendance:overtime_detail", "default_routes": ATTENDANCE_MANAGER_ROUTE}  # fmt: skip
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.purchasing.demo.build_demo_purchasing")  # vendors and bills
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.purchasing.demo_payments.build_demo_payment_runs"
)  # pays bills and claims
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.attendance.demo.build_demo_attendance")  # 18 months of punches
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.attendance.demo.build_demo_work_systems"
)  # フレックス, 管理監督者, shifts
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.attendance.demo.build_demo_leave"
)  # 年休 grants, 計画的付与, requests
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.attendance.services.agreements.build_demo_agreement")  # 36協定
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.payroll.demo.build_demo_payroll"
)  # 18 months of pay runs, two bonuses, a leaver with 退職金, posted
ENNOSHITA_SCHEDULED_JOBS.append("ennoshita.approvals.tasks.DAILY_APPROVAL_REMINDERS")  # 催促, daily at 9
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.attendance.tasks_agreements.DAILY_OVERTIME_CHECK"
)  # 36協定, daily at 6
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.attendance.tasks_paid_leave.DAILY_PAID_LEAVE"
)  # 年休の付与と年5日, daily at 6
# Business records documents can be attached to: type label -> a function that finds the record
# for a member and says whether they may edit it (documents knows records only by these labels).
ENNOSHITA_ATTACHMENT_TARGETS = {
    "people.employee": "ennoshita.people.selectors.employee_attachment_target",
    "ledger.journalentry": "ennoshita.ledger.entry_selectors.entry_attachment_target",
}
DOCUMENTS_MAX_UPLOAD_BYTES = int(os.environ.get("ENNOSHITA_MAX_UPLOAD_MB", "50")) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENTS_MAX_UPLOAD_BYTES + 1024 * 1024

# Home-page panels of the apps: each a function panels(membership) -> list[dict] (ennoshita/home.py)
ENNOSHITA_HOME_PANELS: list[str] = [
    "ennoshita.frontdesk.home_visits.panels",  # 今日の来訪者, 未対応の伝言, 依頼
    "ennoshita.affairs.home_announcements.panels",  # お知らせ, 社内行事
    "ennoshita.affairs.home_rules.panels",  # 既読確認が必要な規程
    "ennoshita.frontdesk.home_rooms.panels",  # 今日の会議室予約
    "ennoshita.affairs.home_equipment.panels",  # 退職者の返却待ち備品 (人事・総務)
    "ennoshita.affairs.home_consumables.panels",  # 消耗品の依頼, 発注点割れ (総務)
    "ennoshita.affairs.home_health.panels",  # 受診期限切れ, 意見聴取の期限 (健康情報の権限者)
    "ennoshita.affairs.home_welfare.panels",  # 福利厚生の申請
]
# 福利厚生の利用申請 go through the approvals engine: 所属長 then 総務
ENNOSHITA_APPROVAL_TYPES["affairs.benefit"] = {"label": "福利厚生の利用申請", "on_decided": "ennoshita.affairs.services.welfare.on_benefit_use_decided", "url_name": "affairs:benefit_use_detail", "default_routes": [{"name": "%(label)s", "priority": 10, "min_amount": None, "max_amount": None, "steps": [SimpleNamespace(kind="manager", name="所属長", role="", users=()), SimpleNamespace(kind="role", name="総務", role="affairs", users=())]}]}  # fmt: skip

# 総務 and 受付 (issue 10)
ENNOSHITA_ATTACHMENT_TARGETS["affairs.announcement"] = "ennoshita.affairs.selectors.announcements.announcement_attachment_target"  # fmt: skip
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.affairs.tasks_announcements.QUARTERLY_ANNOUNCEMENTS"
)  # 重要なお知らせ, every 15 min
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.frontdesk.tasks_visits.DAILY_ERASE_VISITOR_DATA"
)  # 来訪者の個人情報, daily at 3
# panels on an employee's record from the apps above people: functions panels(*, company, membership, employee)
ENNOSHITA_EMPLOYEE_PANELS: list[str] = ["ennoshita.affairs.employee_panels.equipment_panels"]  # 貸与中の備品
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.affairs.demo_equipment.build_demo_equipment")  # 備品, 貸与
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.affairs.demo_consumables.build_demo_consumables"
)  # 在庫と1か月の入出庫
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.affairs.demo_announcements.build_demo_announcements"
)  # お知らせ, 忘年会
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.affairs.demo_welfare.build_demo_welfare"
)  # 福利厚生 (after the approvals demo)
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.frontdesk.demo_rooms.build_demo_rooms"
)  # 会議室 and a month of bookings
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.frontdesk.demo_visits.build_demo_visits"
)  # 来訪者, 伝言, 依頼 (after the rooms)
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.affairs.tasks_health.DAILY_HEALTH_REMINDERS"
)  # 受診・意見聴取の催促
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.affairs.demo_health.build_demo_health"
)  # 健診計画, 長時間労働 (after attendance)
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.affairs.demo_rules.build_demo_rules")  # 就業規則の改定と既読確認
# 法務 (legal/*): 契約書
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.legal.tasks_contracts.DAILY_CONTRACT_ALERTS"
)  # 自動更新・満了・通知期限 (7時)
ENNOSHITA_HOME_PANELS.append("ennoshita.legal.home_contracts.panels")  # 期限が近い契約 (30日以内)
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.legal.demo_contracts.build_demo_contracts"
)  # 契約書 (after sales, purchasing)
# 法務: 知的財産
ENNOSHITA_SCHEDULED_JOBS.append("ennoshita.legal.tasks_ip.DAILY_IP_ALERTS")  # 知的財産の期限 (7時)
ENNOSHITA_HOME_PANELS.append("ennoshita.legal.home_ip.panels")  # 知的財産の期限30日以内 (法務・管理者)
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.legal.demo_ip.build_demo_ip")  # 商標・特許・意匠・著作権・ドメイン名
# 法務: リーガルチェック
ENNOSHITA_HOME_PANELS.append("ennoshita.legal.home_reviews.panels")  # 法務: 対応待ち / 依頼者: 回答済み
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.legal.demo_reviews.build_demo_reviews"
)  # 条項メモ・確認中・再依頼・完了
# 法務: 法律相談・紛争
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.legal.tasks_matters.DAILY_MATTER_ALERTS"
)  # 期限の7日前・前日 (7時)
ENNOSHITA_HOME_PANELS.append(
    "ennoshita.legal.home_matters.panels"
)  # 未回答の相談・14日以内の期限 (法務・管理者)
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.legal.demo_matters.build_demo_matters"
)  # 相談(回答済み・受付)と債権回収の紛争
# 法務: 登記・機関
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.legal.tasks_registry.DAILY_REGISTRY_ALERTS"
)  # 任期満了・登記期限 (7時)
ENNOSHITA_HOME_PANELS.append("ennoshita.legal.home_registry.panels")  # 登記・役員の任期 (法務・管理者)
ENNOSHITA_DEMO_EXTRAS.append(
    "ennoshita.legal.demo_registry.build_demo_registry"
)  # 定款・役員・本店移転・議事録
# 業務依頼 (requests/*): 社内チームと外部アシスタントへの依頼
ENNOSHITA_SCHEDULED_JOBS.append(
    "ennoshita.requests.tasks.DAILY_REQUEST_JOBS"
)  # 定期依頼・期限超過の通知 (6時)
ENNOSHITA_HOME_PANELS.append("ennoshita.requests.home.panels")  # 自分の依頼・チームの未着手と期限超過
ENNOSHITA_DEMO_EXTRAS.append("ennoshita.requests.demo.build_demo_requests")  # after sales/purchasing
