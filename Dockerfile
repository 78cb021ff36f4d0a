# Caseflow image for docker-compose: the web app (gunicorn) and the projection process.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY caseflow caseflow
COPY web web
RUN pip install --no-cache-dir .
RUN useradd --create-home caseflow
USER caseflow
EXPOSE 8000
CMD ["gunicorn", "--workers", "4", "--bind", "0.0.0.0:8000", "web:create_app()"]
