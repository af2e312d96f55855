#!/usr/bin/env bash
# sqlmap against the running app on 127.0.0.1 only: the public forms and the search boxes.
# Not run by the tests. Start the app first with the demo data, e.g.:
#   DATABASE_URL=sqlite:////tmp/scan.sqlite3 .venv/bin/python manage.py migrate
#   DATABASE_URL=sqlite:////tmp/scan.sqlite3 .venv/bin/python manage.py load_demo
#   THROTTLE_POST_LIMIT=1000000 THROTTLE_LOOKUP_LIMIT=1000000 \
#   DATABASE_URL=sqlite:////tmp/scan.sqlite3 .venv/bin/python manage.py runserver 127.0.0.1:8765 --noreload &
# (the throttles raised: past them every answer is a 429 and sqlmap would test nothing)
# then: bench/sqlmap_scan.sh [port]   (needs the Debian package: apt-get install -y sqlmap)
# Each target is bounded (level 2, risk 1, short timeouts, `timeout 300`); the verdict of each run is
# printed at the end. A finding prints "is vulnerable" / "injectable" and the script exits 1.
set -u
ONLY="${ONLY:-}"  # e.g. ONLY=register_post to run only the targets whose name starts with it
PORT="${1:-8765}"
BASE="http://127.0.0.1:${PORT}"
OUT="${SQLMAP_OUT:-/tmp/sqlmap-psp}"
SLUG="${DEMO_SLUG:-contoh-latihan-pendaftaran-fiktif}"
SITE="${DEMO_SITE:-7}"
USER_NAME="${DEMO_USER:-admin}"
PASSWORD="${DEMO_PASSWORD:-psp-demo-2026}"
if [ -z "$ONLY" ]; then rm -rf "$OUT"; fi
mkdir -p "$OUT"
COMMON=(--batch --level=2 --risk=1 --time-sec=2 --timeout=10 --retries=1
        --output-dir="$OUT" --disable-coloring)

# A logged-in session for the staff registration list: log in through the real form.
JAR="$OUT/cookies.txt"
curl -s -c "$JAR" -b "$JAR" "$BASE/masuk/" -o "$OUT/login.html"
TOKEN=$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$OUT/login.html" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$JAR" -b "$JAR" -e "$BASE/masuk/" -o /dev/null \
  --data-urlencode "csrfmiddlewaretoken=$TOKEN" --data-urlencode "username=$USER_NAME" \
  --data-urlencode "password=$PASSWORD" "$BASE/masuk/"
SESSION=$(awk '$6 == "sessionid" {print $7}' "$JAR")
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
if [ -z "$SESSION" ]; then echo "login failed: no session cookie" >&2; exit 2; fi

run() {  # name, then sqlmap arguments
  local name="$1"; shift
  if [ -n "$ONLY" ] && [[ "$name" != "$ONLY"* ]]; then return; fi
  echo "=== $name: sqlmap $*" | tee "$OUT/$name.log"
  timeout 300 sqlmap "${COMMON[@]}" "$@" >> "$OUT/$name.log" 2>&1
  echo "exit $?" >> "$OUT/$name.log"
}

run status_get   -u "$BASE/status-pendaftaran/?code=PSP-TEST"
run status_post  -u "$BASE/status-pendaftaran/" --data="code=PSP-TEST&csrfmiddlewaretoken=x" \
                 --csrf-token=csrfmiddlewaretoken --csrf-url="$BASE/status-pendaftaran/" -p code
# The registration form has many fields: three runs of a few parameters each keep every run bounded.
REGISTER_DATA="csrfmiddlewaretoken=x&full_name=Budi&nik=5201011205850001&gender=L&birth_date=1985-05-12&province=1&agency_type=7&agency=&new_agency_name=Dinas&position=Guru&role=1&phone=081234567890&email=a%40example.invalid&privacy_accepted=on"
for group in "full_name,nik" "province,agency_type,agency,role" "new_agency_name,phone,email"; do
  run "register_post_${group%%,*}" -u "$BASE/daftar/$SLUG/$SITE/" --data="$REGISTER_DATA" \
                 --csrf-token=csrfmiddlewaretoken --csrf-url="$BASE/daftar/$SLUG/$SITE/" -p "$group"
done
run agency_options -u "$BASE/instansi/pilihan/?agency_type=7&province=1&agency=3&q=Dinas"
run staff_list   -u "$BASE/pendaftaran/?q=Budi&status=submitted&review=identity&site=1&page=1" \
                 --cookie="sessionid=$SESSION; csrftoken=$CSRF" -p "q,status,review,site,page"

echo
found=0
for log in "$OUT"/*.log; do
  name=$(basename "$log" .log)
  if grep -qiE "is vulnerable|parameter '.*' is .*injectable|sqlmap identified the following injection" "$log"; then
    echo "$name: INJECTABLE (see $log)"; found=1
  elif grep -qi "all tested parameters do not appear to be injectable" "$log"; then
    echo "$name: all tested parameters do not appear to be injectable"
  else
    echo "$name: no verdict (see $log)"; found=1
  fi
done
exit $found
