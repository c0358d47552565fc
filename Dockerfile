FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend backend
RUN pip install --no-cache-dir -e .
COPY cases cases
COPY frontend frontend
COPY search search
ENV CASEBOOK_HOME=/data
EXPOSE 8000
CMD ["casebook", "serve", "--host", "0.0.0.0", "--port", "8000"]
