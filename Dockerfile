# KneeAssess: one app process per container, non-root, health-checked by running app.py once.
#
#   docker build -t kneeassess .
#   docker run -p 8501:8501 -v kneeassess-var:/app/var kneeassess                         # one box, SQLite
#   docker run -p 8501:8501 -e KNEEASSESS_DATABASE_URL=postgresql+psycopg://... \
#              -e STREAMLIT_SERVER_COOKIE_SECRET=... kneeassess                             # a replica
#
# Secrets (database URL, cookie secret, webhook/SMTP settings, the staff passcode hash) come from the environment
# or a mounted /app/.streamlit/secrets.toml: never baked into the image (.dockerignore keeps secrets.toml out).
# BASE: Docker Hub's python:3.11-slim (the default), or any Debian with python3 and python3-venv, e.g. the image
# deploy/container/build-base.sh builds from Debian's packages where no registry is reachable:
#   podman build --build-arg BASE=localhost/kneeassess-base -t kneeassess .
ARG BASE=python:3.11-slim
FROM ${BASE}

# The app's Python lives in a virtual environment (/opt/venv, first on PATH): the same on both bases (Debian's
# own python3 is "externally managed" and refuses pip installs outside one).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    STREAMLIT_SERVER_PORT=8501
# PIP_CACHE=on uses pip's cache at /root/.cache/pip, for builds that mount one there (podman build -v ...);
# the default keeps no cache in the image.
ARG PIP_CACHE=off

WORKDIR /app

# Install steps (the same two as `python3 dev.py` makes in .venv): the dependencies from pyproject.toml, then
# mediapipe (the movement check) with --no-deps from requirements-nodeps.txt: its metadata pins protobuf<5, which
# Streamlit contradicts; what its imports need is in pyproject.toml (README, "Dependencies and why"). From these two
# files alone, so this layer is rebuilt only when they change; then the app itself, in place.
COPY pyproject.toml requirements-nodeps.txt ./
RUN NO_CACHE=$([ "$PIP_CACHE" = on ] || echo --no-cache-dir) \
    && python3 -m venv /opt/venv \
    && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install $NO_CACHE -r /tmp/requirements.txt \
    && pip install $NO_CACHE --no-deps -r requirements-nodeps.txt \
    && python -c "from mediapipe.python.solutions import pose" \
    && rm /tmp/requirements.txt

# The app. kneeassess finds data/, app.py and var/ beside its own folder, so it is installed in place (-e):
# one copy, in /app, also for `python -m kneeassess ...` (migrations, deliveries, imports).
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && useradd --create-home --uid 10001 --user-group kneeassess \
    && mkdir -p /app/var \
    && chown kneeassess:kneeassess /app/var

USER kneeassess
# The SQLite file of a one-box deployment (unused with KNEEASSESS_DATABASE_URL).
VOLUME ["/app/var"]
EXPOSE 8501

# /_stcore/script-health-check runs app.py once (.streamlit/config.toml): healthy means the content loads, and
# the first check makes app.py's navigation the process's before visitors come (a balancer should route to the
# container only once it is healthy). No --start-interval: podman/buildah 4.x and Docker before 25 reject it.
HEALTHCHECK --interval=15s --timeout=30s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:%s/_stcore/script-health-check' % os.environ['STREAMLIT_SERVER_PORT'], timeout=29); sys.exit(0 if r.status == 200 and r.read().strip() == b'ok' else 1)"]

# As `python3 dev.py app` starts it, with the clinic's colours (data/clinic.toml or KNEEASSESS_CLINIC_FILE) as
# theme flags; the port is STREAMLIT_SERVER_PORT's (8501 unless set). `exec` replaces the shell: Streamlit is
# PID 1 and gets `docker stop`'s SIGTERM.
CMD ["sh", "-c", "exec streamlit run app.py --server.address 0.0.0.0 $(python -c 'from kneeassess.ui.app_setup import theme_flags; print(\" \".join(theme_flags()))')"]
