# Production-like image for docker-compose.yml (gunicorn behind whatever proxy you use).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN DJANGO_COLLECTSTATIC=1 SECRET_KEY=build python manage.py collectstatic --noinput \
 && python -m babel.messages.frontend compile -d locale -D django || true

RUN useradd --create-home ocop && mkdir -p /app/media /app/private-media && chown -R ocop /app/media /app/private-media
USER ocop

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60 --access-logfile -"]
