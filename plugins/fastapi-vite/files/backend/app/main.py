"""FastAPI app. The frontend calls it under /api (Vite's proxy in development, nginx in production)."""
import os
import platform
from datetime import datetime, timezone

from fastapi import FastAPI

app = FastAPI(title=os.environ.get("PROJECT_NAME", "api"))


@app.get("/health")
def health() -> dict:
    """Liveness probe used by the compose health checks."""
    return {"status": "ok"}


@app.get("/api/hello")
def hello() -> dict:
    """An example API route: replace it with your own."""
    return {
        "message": "Hello from FastAPI",
        "python": platform.python_version(),
        "time": datetime.now(timezone.utc).isoformat(),
    }
