# bench/run --postgres (sourced by bench/run, which has built the site and defined start_site, wrk_run, median, row):
# one node whose writes go to PostgreSQL against the same node on SQLite, over the same generated content. Votes, the
# cached and the uncached comparison page, A and B alternating for $rounds rounds, medians of the ratios PostgreSQL /
# SQLite. PostgreSQL runs from a temporary folder with the package's defaults (fsync and synchronous commit on), as a
# deployment would; the SQLite file is as shipped (WAL, synchronous NORMAL).

postgres_bench() {
  local pg_bin pg_dir p_pg p_lite p_pg_site p_lite_miss p_pg_miss conn page
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$pg_bin" ]; then
    echo "Installing postgresql from Debian..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  take_port p_pg; take_port p_lite; take_port p_pg_site; take_port p_lite_miss; take_port p_pg_miss
  pg_dir=$(mktemp -d /tmp/verdicts-bench-pg.XXXXXX)
  # PostgreSQL refuses to run as root; as root it runs as Debian's postgres user, who owns the folder.
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  (cd "$pg_dir" && as_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-instructions >/dev/null)
  cat >> "$pg_dir/data/postgresql.conf" <<CONF
port = $p_pg
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 300
CONF
  (cd "$pg_dir" && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start >/dev/null)
  # Stopped and removed on exit, whatever happens, before bench/run's own cleanup.
  trap "(cd '$pg_dir' && as_pg '$pg_bin/pg_ctl' -D '$pg_dir/data' -m fast -w stop >/dev/null 2>&1); rm -rf '$pg_dir'; cleanup" EXIT
  psql_do() { "$pg_bin/psql" -h 127.0.0.1 -p "$p_pg" -U postgres -Atq "$@"; }
  psql_do -d postgres -c "CREATE DATABASE verdicts"
  conn="Host=127.0.0.1;Port=$p_pg;Username=postgres;Database=verdicts"

  echo "== Generating $tools tools"
  bench generate --tools "$tools" "$out/content" >/dev/null
  echo "== Starting a node on SQLite and one on PostgreSQL, each also with its output cache off"
  start_site lite "$p_lite" "--Verdicts:ContentPath=$out/content"
  start_site pg "$p_pg_site" "--Verdicts:ContentPath=$out/content" "--Verdicts:Postgres=$conn"
  start_site lite-miss "$p_lite_miss" "--Verdicts:ContentPath=$out/content" --Verdicts:DisableOutputCache=true
  start_site pg-miss "$p_pg_miss" "--Verdicts:ContentPath=$out/content" "--Verdicts:Postgres=$conn" --Verdicts:DisableOutputCache=true
  page="/compare/pair-00042"

  cat > "$out/vote.lua" <<LUA
local n = 0
request = function()
  n = n + 1
  local tool = string.format("tool-%05d", (n * 7919) % $tools)
  local choice = (n % 3 == 0) and "skip" or "ship"
  return wrk.format("POST", "/tools/" .. tool .. "/vote", { ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json" }, "choice=" .. choice)
end
LUA
  # Rows where each node keeps its votes: PostgreSQL once the votes are there (issue 29), else the node's SQLite file.
  pg_votes() {
    local in_pg
    in_pg=$(psql_do -d verdicts -c "SELECT count(*) FROM votes" 2>/dev/null || echo 0)
    echo $((in_pg + $(bench count-votes "$out/pg.db" 2>/dev/null || echo 0)))
  }

  echo "== Warming up"
  for p in "$p_lite" "$p_pg_site" "$p_lite_miss" "$p_pg_miss"; do wrk -t2 -c64 -d3s "http://127.0.0.1:$p$page" >/dev/null; done
  for p in "$p_lite" "$p_pg_site"; do wrk -t2 -c64 -d3s -s "$out/vote.lua" "http://127.0.0.1:$p" >/dev/null; done

  : > "$out/pg-cached.txt"; : > "$out/pg-miss.txt"; : > "$out/pg-votes.txt"; : > "$out/pg-raw.txt"
  local votes_ok=1 round lite_rps pg_rps lite_p99 pg_p99 lite_miss pg_miss lite_votes pg_votes_rps lite_vp99 pg_vp99 bad before after total
  for round in $(seq 1 "$rounds"); do
    echo "== Round $round of $rounds"
    # Odd rounds SQLite first, even rounds PostgreSQL first.
    if [ $((round % 2)) = 1 ]; then
      read -r lite_rps lite_p99 _ < <(wrk_run "http://127.0.0.1:$p_lite$page")
      read -r pg_rps pg_p99 _ < <(wrk_run "http://127.0.0.1:$p_pg_site$page")
      read -r lite_miss _ _ < <(wrk_run "http://127.0.0.1:$p_lite_miss$page")
      read -r pg_miss _ _ < <(wrk_run "http://127.0.0.1:$p_pg_miss$page")
      read -r lite_votes lite_vp99 _ < <(wrk_run "http://127.0.0.1:$p_lite" "$out/vote.lua")
    else
      read -r pg_rps pg_p99 _ < <(wrk_run "http://127.0.0.1:$p_pg_site$page")
      read -r lite_rps lite_p99 _ < <(wrk_run "http://127.0.0.1:$p_lite$page")
      read -r pg_miss _ _ < <(wrk_run "http://127.0.0.1:$p_pg_miss$page")
      read -r lite_miss _ _ < <(wrk_run "http://127.0.0.1:$p_lite_miss$page")
    fi
    before=$(pg_votes)
    read -r pg_votes_rps pg_vp99 bad < <(wrk_run "http://127.0.0.1:$p_pg_site" "$out/vote.lua")
    total=$(awk '/requests in/ { print $1 }' "$out/wrk.txt")
    after=$(pg_votes)
    # As in the main run: every acknowledged vote is a new row; up to 64 in flight may commit unanswered.
    echo "  votes on PostgreSQL: $((total - bad)) acknowledged, $((after - before)) rows written"
    if [ $((after - before)) -lt $((total - bad)) ] || [ $((after - before)) -gt $((total - bad + 64)) ]; then votes_ok=0; fi
    [ $((round % 2)) = 0 ] && read -r lite_votes lite_vp99 _ < <(wrk_run "http://127.0.0.1:$p_lite" "$out/vote.lua")
    awk -v a="$pg_rps" -v b="$lite_rps" 'BEGIN { print (b > 0) ? a / b : 0 }' >> "$out/pg-cached.txt"
    awk -v a="$pg_miss" -v b="$lite_miss" 'BEGIN { print (b > 0) ? a / b : 0 }' >> "$out/pg-miss.txt"
    awk -v a="$pg_votes_rps" -v b="$lite_votes" 'BEGIN { print (b > 0) ? a / b : 0 }' >> "$out/pg-votes.txt"
    echo "$lite_rps $pg_rps $lite_miss $pg_miss $lite_votes $pg_votes_rps $lite_p99 $pg_p99 $lite_vp99 $pg_vp99" >> "$out/pg-raw.txt"
  done

  echo
  echo "Verdicts on PostgreSQL against SQLite: $tools tools, wrk -t2 -c64 -d${duration}s, $rounds rounds, medians of the ratios; page $page"
  row_header
  row "comparison page, cached GET, req/s ratio" "the same node on SQLite" "$(median < "$out/pg-cached.txt" | xargs printf '%.6f')" 0.95 ">="
  row "acknowledged votes all committed (1 = yes)" "rows before and after, 64 in flight" "$votes_ok" 1 ">="
  echo
  echo "Measured, no target: comparison page with the cache off, PostgreSQL / SQLite $(median < "$out/pg-miss.txt" | xargs printf '%.3f');" \
    "votes, PostgreSQL / SQLite $(median < "$out/pg-votes.txt" | xargs printf '%.3f')"
  echo "Each round, req/s: cached SQLite, cached PostgreSQL, uncached SQLite, uncached PostgreSQL, votes SQLite, votes PostgreSQL;" \
    "then p99 ms: cached SQLite, cached PostgreSQL, votes SQLite, votes PostgreSQL"
  sed 's/^/  /' "$out/pg-raw.txt"
}
