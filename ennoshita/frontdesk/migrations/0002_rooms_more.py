# The rooms part's own schema changes after 0001 (empty until the part needs one).
#
# 1. The database refuses two confirmed bookings of one room that overlap, whatever code writes:
#    on PostgreSQL an exclusion constraint over (room, tstzrange(starts_at, ends_at, '[)')) for
#    confirmed rows (btree_gist gives "=" on the room id inside a GiST index); on SQLite BEFORE
#    INSERT / BEFORE UPDATE triggers. Half-open ranges: a booking ending at 10:00 and one starting
#    at 10:00 do not overlap.
# 2. RoomFeedToken: the secret of a person's iCalendar feed, one per (company, user).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    """ALTER TABLE frontdesk_roombooking ADD CONSTRAINT frontdesk_booking_no_overlap
       EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status = 'confirmed');""",
]
PG_DOWN = ["ALTER TABLE frontdesk_roombooking DROP CONSTRAINT IF EXISTS frontdesk_booking_no_overlap;"]

# Django stores datetimes on SQLite as UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]', which sorts as time.
_OVERLAP = """EXISTS (SELECT 1 FROM frontdesk_roombooking b
         WHERE b.company_id = NEW.company_id AND b.room_id = NEW.room_id
           AND b.status = 'confirmed' AND b.starts_at < NEW.ends_at AND b.ends_at > NEW.starts_at{extra})"""
SQLITE_NAMES = ["frontdesk_booking_no_overlap_insert", "frontdesk_booking_no_overlap_update"]
SQLITE_UP = [
    f"""CREATE TRIGGER IF NOT EXISTS frontdesk_booking_no_overlap_insert
       BEFORE INSERT ON frontdesk_roombooking
       WHEN NEW.status = 'confirmed' AND {_OVERLAP.format(extra="")}
       BEGIN SELECT RAISE(ABORT, 'frontdesk: the room is already booked at this time'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS frontdesk_booking_no_overlap_update
       BEFORE UPDATE ON frontdesk_roombooking
       WHEN NEW.status = 'confirmed' AND {_OVERLAP.format(extra=" AND b.id <> NEW.id")}
       BEGIN SELECT RAISE(ABORT, 'frontdesk: the room is already booked at this time'); END;""",
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {name};" for name in SQLITE_NAMES]


def install(cursor, vendor: str) -> None:
    if vendor == "postgresql":
        for sql in PG_DOWN + PG_UP:
            cursor.execute(sql)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            cursor.execute(sql)


def remove(cursor, vendor: str) -> None:
    for sql in PG_DOWN if vendor == "postgresql" else SQLITE_DOWN if vendor == "sqlite" else []:
        cursor.execute(sql)


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        install(cursor, schema_editor.connection.vendor)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("frontdesk", "0001_initial")]

    operations: list = [
        migrations.CreateModel(
            name="RoomFeedToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="発行日時")),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="core.company", verbose_name="会社"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="ユーザー",
                    ),
                ),
            ],
            options={
                "verbose_name": "予定表フィード",
                "verbose_name_plural": "予定表フィード",
                "constraints": [
                    models.UniqueConstraint(fields=("company", "user"), name="room_feed_token_user_unique")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="roombooking",
            index=models.Index(fields=["company", "starts_at"], name="booking_company_start_idx"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
