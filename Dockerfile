# Production-like image for docker-compose.yml (gunicorn behind whatever proxy you use).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEBUG=false \
    STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage

RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# The manifest written here is what the same storage reads at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && python -m babel.messages.frontend compile --use-fuzzy -d locale -D django

RUN useradd --create-home ocop && mkdir -p /app/media /app/private-media && chown -R ocop /app/media /app/private-media
USER ocop

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn shop.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout 60 --access-logfile -"]
