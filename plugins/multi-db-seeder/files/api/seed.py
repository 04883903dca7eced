"""One-shot seeder: fills PostgreSQL and MongoDB once. Safe to run again: it seeds empty stores only."""
import os
import sys

import psycopg
from pymongo import MongoClient

ITEMS = ["alpha", "bravo", "charlie"]


def seed_postgres() -> str:
    with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=5) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS items (id SERIAL PRIMARY KEY, name TEXT UNIQUE NOT NULL)")
        count = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        if count:
            return f"postgres: {count} items already there, nothing to do"
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO items (name) VALUES (%s)", [(name,) for name in ITEMS])
        return f"postgres: seeded {len(ITEMS)} items"


def seed_mongo() -> str:
    client = MongoClient(os.environ["MONGO_URL"], serverSelectionTimeoutMS=5000)
    collection = client[os.environ.get("MONGO_DB", "app")].items
    if collection.estimated_document_count():
        return "mongo: items already there, nothing to do"
    collection.insert_many([{"name": name} for name in ITEMS])
    return f"mongo: seeded {len(ITEMS)} items"


if __name__ == "__main__":
    try:
        print(seed_postgres(), flush=True)
        print(seed_mongo(), flush=True)
    except Exception as error:  # noqa: BLE001 - report and fail the one-shot container
        print(f"seeding failed: {error}", file=sys.stderr)
        sys.exit(1)
