"""API over PostgreSQL and MongoDB. /health checks both stores; /api/items reads what the seeder wrote."""
import os

import psycopg
from flask import Flask, jsonify
from pymongo import MongoClient

app = Flask(__name__)
DATABASE_URL = os.environ["DATABASE_URL"]
mongo = MongoClient(os.environ["MONGO_URL"], serverSelectionTimeoutMS=2000)
mongo_db = mongo[os.environ.get("MONGO_DB", "app")]


@app.get("/health")
def health():
    """Healthy only when both databases answer."""
    with psycopg.connect(DATABASE_URL, connect_timeout=2) as conn:
        conn.execute("SELECT 1")
    mongo.admin.command("ping")
    return jsonify(status="ok", postgres="ok", mongo="ok")


@app.get("/api/items")
def items():
    with psycopg.connect(DATABASE_URL, connect_timeout=2) as conn:
        rows = conn.execute("SELECT to_regclass('public.items') IS NOT NULL").fetchone()
        sql_items = conn.execute("SELECT id, name FROM items ORDER BY id").fetchall() if rows and rows[0] else []
    docs = list(mongo_db.items.find({}, {"_id": 0}).sort("name"))
    return jsonify(postgres=[{"id": i, "name": n} for i, n in sql_items], mongo=docs)
