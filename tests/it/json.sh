#!/usr/bin/env bash
# NAME.json: every run writes it; it loads with Python's json module, its
# rows carry the CSV's values column by column (through the "columns" map),
# its aggregates the aggregate CSV's; `run --json` prints the same document.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "python3 not installed"
out="$WORK/b"
"$BIN/sockcmp" run boundaries -o "$out" -q --no-plots || fail "run failed"
[ -s "$out/boundaries.json" ] || fail "no boundaries.json"
py "$out" <<'PY' || fail "boundaries.json does not match the CSV files"
import csv, json, sys
d = sys.argv[1]
doc = json.load(open(d + "/boundaries.json"))
rows = list(csv.DictReader(open(d + "/boundaries.csv", newline="")))
check(doc["experiment"] == "boundaries", doc["experiment"])
check(len(doc["rows"]) == len(rows) == 5, (len(doc["rows"]), len(rows)))
cols = doc["columns"]
check({c["csv"] for c in cols} == set(rows[0]), set(rows[0]) ^ {c["csv"] for c in cols})
def same(js, text):
    if js is None: return text == ""
    if isinstance(js, bool): return text == ("1" if js else "0")
    if isinstance(js, (int, float)): return abs(float(text) - js) < 1e-9
    return js == text
for jr, cr in zip(doc["rows"], rows):
    for c in cols:
        check(same(jr[c["json"]], cr[c["csv"]]), (c, jr[c["json"]], cr[c["csv"]]))
check("lat_p50_us" in doc["rows"][0] and "lost_msgs" in doc["rows"][0], "no lat_p50_us or lost_msgs in", sorted(doc["rows"][0]))
agg = list(csv.DictReader(open(d + "/boundaries-aggregate.csv", newline="")))
check(len(agg) == len(doc["aggregates"]) == 5, "aggregates:", len(agg), len(doc["aggregates"]))
for ja, ca in zip(doc["aggregates"], agg):
    check(ja["transport"] == ca["transport"], "transport", ja["transport"], ca["transport"])
    check(abs(ja["lat_p50_ms_mean"] - float(ca["lat_p50_ms_mean"])) < 1e-9, "lat_p50_ms_mean", ja, ca)
    check(abs(ja["duplicated_msgs_mean"] - float(ca["duplicated_mean"])) < 1e-9, "duplicated mean", ja, ca)
# one unit for times: the new ns columns agree with the old us and ms ones
for r in rows:
    check(abs(int(r["lat_p50_ns"]) / 1e3 - float(r["lat_p50_us"])) <= 0.05 + 1e-9, r)
    check(abs(int(r["duration_ns"]) / 1e6 - float(r["duration_ms"])) <= 0.0005 + 1e-9, r)
for ja, ca in zip(doc["aggregates"], agg):
    check(abs(float(ca["lat_p50_ns_mean"]) / 1e6 - float(ca["lat_p50_ms_mean"])) <= 0.0005 + 1e-9, ca)
    check(ja["lat_p50_ns_mean"] == float(ca["lat_p50_ns_mean"]), (ja, ca))
sizes = {r["transport"]: r["read_sizes"] for r in doc["rows"]}
full = {r["transport"]: r["read_sizes_bytes"] for r in doc["rows"]}
check(full["udp"] == [512] * 5 and full["tcp"] == [2560], full)
for r in doc["rows"]:
    check(" ".join(map(str, r["read_sizes_bytes"])) == r["read_sizes"], r)
check(sizes["udp"].split() == ["512"] * 5 and sizes["tcp"] == "2560", sizes)
PY
"$BIN/sockcmp" run boundaries -t udp -o "$WORK/j" --json --no-plots >"$WORK/stdout" 2>"$WORK/stderr" || fail "run --json failed"
cmp -s "$WORK/stdout" "$WORK/j/boundaries.json" || fail "run --json printed something else than boundaries.json"
py "$WORK/stdout" <<'PY' || fail "run --json: stdout is not the JSON document"
import json
d = json.load(open(sys.argv[1]))
check([r["transport"] for r in d["rows"]] == ["udp"], [r["transport"] for r in d["rows"]])
PY
# The run's metadata, once per run: version, kernel and why, uname, sysctls.
py "$out/boundaries-meta.json" "$("$BIN/sockcmp" -V)" "$(uname -r)" "$(cat /proc/sys/net/core/rmem_max)" \
	"$(tr -s '\t ' '  ' </proc/sys/net/ipv4/ip_local_port_range)" <<'PY' || fail "boundaries-meta.json is wrong"
import json, sys
m = json.load(open(sys.argv[1]))
check("sockcmp " + m["sockcmp_version"] == sys.argv[2], (m["sockcmp_version"], sys.argv[2]))
check(m["experiment"] == "boundaries" and m["kernel"] == "host" and not m["impaired_link"], m)
check(m["kernel_why"], m)
check(m["uname"]["release"] == sys.argv[3], m["uname"])
check(m["sysctl"]["net.core.rmem_max"] == sys.argv[4], m["sysctl"])
check(m["sysctl"]["net.ipv4.ip_local_port_range"] == sys.argv[5].strip(), m["sysctl"])
check("net.ipv4.tcp_syn_retries" in m["sysctl"] and "net.core.wmem_max" in m["sysctl"], "sysctls missing:", m["sysctl"])
PY
# read_sizes stops after twelve sizes ("..."); read_sizes_bytes has them all.
printf 'experiment many\ntransports udp\nsend 30 x 100\nrecv 100 after 20ms\n' >"$WORK/many.exp"
"$BIN/sockcmp" run "$WORK/many.exp" -o "$WORK/m" -q --no-plots || fail "many: run failed"
py "$WORK/m" <<'PY' || fail "many.json: read_sizes_bytes is not the whole list"
import csv, json, sys
d = json.load(open(sys.argv[1] + "/many.json"))["rows"][0]
check(d["read_sizes"].endswith("..."), d["read_sizes"])
check(d["read_sizes_bytes"] == [100] * 30, d["read_sizes_bytes"])
calls = [int(e["returned"]) for e in csv.DictReader(open(sys.argv[1] + "/many-events.csv")) if e["side"] == "recv" and int(e["returned"]) > 0 and "fin" not in e["flags"]]
check(calls == d["read_sizes_bytes"], calls)
row = list(csv.DictReader(open(sys.argv[1] + "/many.csv")))[0]
check(row["read_sizes_all"] == "100*30" == d["read_sizes_all"], row["read_sizes_all"])
PY
pass "NAME.json and NAME-meta.json"
