#!/bin/bash
# tests/prog/02c-fetch-threads.sh: fetch-threads (chapter 2, 02c-http.nw)
# against a slow HTTP server started here on 127.0.0.1: many URLs, the
# three kinds of body, a refused port, a timeout, malformed and truncated
# responses, https, exit statuses, --help and bad flags. No timings. The
# checks are those of every fetcher: tests/support/fetch-common.sh.
set -euo pipefail
: "${BIN:?}" "${TMP:?}" "${ROOT:?}"
. "$ROOT/tests/support/fetch-common.sh"
fetch_setup fetch-threads

# 1. Fifty URLs with delays and sizes: all fetched, in argument order.
fetch_check_many
# 2. Content-Length, chunked and close-delimited bodies, and empty ones.
fetch_check_bodies
# 3. Every kind of failure, each on its own line, the others unharmed.
fetch_check_errors 500 3000
# 4. A name that does not resolve: an ERR line naming the URL.
# shellcheck disable=SC2119  # no other URL to check
fetch_check_dns
# 5. A cap of one still fetches everything; localhost by name.
fetch_check_cap1
# 6. --help, usage errors.
fetch_check_help_usage '^Usage: fetch-threads \[-c N\] \[-t MS\] URL\.\.\.' \
    "" "-x $B/" "-c 0 $B/" "-c abc $B/" "-c" "-t 0 $B/" "-t" "-c 3"

fetch_finish
