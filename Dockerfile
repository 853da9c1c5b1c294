# sheets-sync as a long-running service.  Config and data are volumes:
#   docker build -t sheets-sync .
#   docker run -d --name sheets-sync -v /srv/sheets-sync:/data sheets-sync
# /data holds sheets-sync.toml, the control workbook, forms/, data/ (SQLite), outbox/ and dokumen/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    SHEETS_SYNC_CONFIG=/data/sheets-sync.toml TZ=Asia/Jakarta

RUN useradd --create-home --uid 10001 sheets
WORKDIR /app
COPY pyproject.toml README.md ./
COPY sheets_sync ./sheets_sync
COPY report_templates ./report_templates
RUN pip install . && mkdir -p /data && chown sheets:sheets /data

USER sheets
VOLUME ["/data"]
WORKDIR /data
ENTRYPOINT ["sheets-sync"]
CMD ["run"]
