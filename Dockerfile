# KneeAssess: one app process per container, non-root, health-checked by running app.py once.
#
#   docker build -t kneeassess .
#   docker run -p 8501:8501 -v kneeassess-var:/app/var kneeassess                         # one box, SQLite
#   docker run -p 8501:8501 -e KNEEASSESS_DATABASE_URL=postgresql+psycopg://... \
#              -e STREAMLIT_SERVER_COOKIE_SECRET=... kneeassess                             # a replica
#
# Secrets (database URL, cookie secret, webhook/SMTP settings, the staff passcode hash) come from the environment
# or a mounted /app/.streamlit/secrets.toml: never baked into the image (.dockerignore keeps secrets.toml out).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change.
# Then mediapipe (the movement check) with --no-deps: its metadata pins protobuf<5, which Streamlit contradicts;
# what its imports need is in pyproject.toml (README, "Dependencies and why").
COPY pyproject.toml requirements-nodeps.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && pip install --no-deps -r requirements-nodeps.txt \
    && python -c "from mediapipe.python.solutions import pose" \
    && rm /tmp/requirements.txt

# The app. kneeassess finds data/, app.py and var/ beside its own folder, so it is installed in place (-e):
# one copy, in /app, also for `python -m kneeassess ...` (migrations, deliveries, imports).
COPY . .
RUN pip install --no-deps -e . \
    && useradd --create-home --uid 10001 --user-group kneeassess \
    && mkdir -p /app/var \
    && chown kneeassess:kneeassess /app/var

USER kneeassess
# The SQLite file of a one-box deployment (unused with KNEEASSESS_DATABASE_URL).
VOLUME ["/app/var"]
EXPOSE 8501

# /_stcore/script-health-check runs app.py once (.streamlit/config.toml): healthy means the content loads, and
# the first check (every 2 s while starting) makes app.py's navigation the process's before visitors come.
HEALTHCHECK --interval=30s --timeout=30s --start-period=60s --start-interval=2s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8501/_stcore/script-health-check', timeout=29); sys.exit(0 if r.status == 200 and r.read().strip() == b'ok' else 1)"]

# As `python3 dev.py app` starts it, with the clinic's colours (data/clinic.toml or KNEEASSESS_CLINIC_FILE) as
# theme flags. `exec` replaces the shell: Streamlit is PID 1 and gets `docker stop`'s SIGTERM.
CMD ["sh", "-c", "exec streamlit run app.py --server.port 8501 --server.address 0.0.0.0 $(python -c 'from kneeassess.ui.app_setup import theme_flags; print(\" \".join(theme_flags()))')"]
