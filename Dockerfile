# sheets-sync as a long-running service.  Config and data are volumes:
#   docker build -t sheets-sync .
#   docker run -d --name sheets-sync -v /srv/sheets-sync:/data sheets-sync
# /data holds sheets-sync.toml, the control workbook, forms/, data/ (SQLite), outbox/ and dokumen/.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    SHEETS_SYNC_CONFIG=/data/sheets-sync.toml TZ=Asia/Jakarta

# `render --pdf`: LibreOffice Writer without a GUI, and fonts metric-compatible with the ones the templates
# and Word use (Liberation Sans/Serif/Mono for Arial, Times New Roman, Courier New; Carlito for Calibri), so
# a PDF breaks lines and pages as Word does (about 40 s of apt-get; LibreOffice itself ~200 MB).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libreoffice-writer-nogui fonts-liberation fonts-crosextra-carlito \
 && rm -rf /var/lib/apt/lists/*

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
