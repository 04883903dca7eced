"""Flask API of this app. The frontend reaches it under /api (nginx proxies /api to this service)."""
import os
import platform
from datetime import datetime, timezone

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/health")
def health():
    """Liveness probe used by the compose health check."""
    return jsonify(status="ok")


@app.get("/api/hello")
def hello():
    """An example API route: replace it with your own."""
    return jsonify(
        message="Hello from Flask",
        python=platform.python_version(),
        time=datetime.now(timezone.utc).isoformat(),
        project=os.environ.get("PROJECT_NAME", "unknown"),
    )


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")), debug=True)
