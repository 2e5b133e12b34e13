#!/usr/bin/env bash
# test/unit/run.sh: checks the simulator's pure C core outside PostgreSQL, built with
# AddressSanitizer and UndefinedBehaviorSanitizer: decimal self-test, every golden request
# against its expected response (up to the request hash), and a bounded byte-level
# mutation run (fixed seed) that must end every input in a response or a clean error.
# Usage: bash test/unit/run.sh [mutants]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-3000}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cd "$ROOT"
gcc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -Wall -Wextra \
    -Wno-unused-parameter -Isrc -o "$OUT/sim_cli" test/unit/sim_cli.c \
    src/decimal.c src/simjson.c src/simulate_request.c src/simulate.c src/simulate_output.c
export ASAN_OPTIONS=detect_leaks=0
"$OUT/sim_cli" --selftest
python3 - "$OUT/sim_cli" "$N" <<'PY'
import json, random, subprocess, sys, glob
from decimal import Decimal
cli, n = sys.argv[1], int(sys.argv[2])
def strip(r):
    r.pop('rebalance_run_id'); r['lineage'].pop('request_hash'); return r
bad = 0
reqs = sorted(glob.glob('test/golden/*.request.json'))
for f in reqs:
    got = subprocess.run([cli, f], capture_output=True, text=True, check=True).stdout
    want = open(f.replace('.request.', '.expected.')).read()
    if strip(json.loads(got, parse_float=Decimal)) != strip(json.loads(want, parse_float=Decimal)):
        print('golden mismatch:', f); bad += 1
print(f'{len(reqs)} golden requests checked in the core')
rng = random.Random(20260213)
seeds = [open(f, 'rb').read() for f in reqs]
junk = [b'{', b'}', b'[', b']', b'"', b'\\', b'\\u', b'\\ud800', b',', b':', b'-', b'.', b'e', b'0', b'9' * 30,
        b'null', b'true', b'\x00', b'\xff', b'1e99999', b'0.0000000000001']
codes = {}
for i in range(n):
    b = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(b))
        op = rng.randrange(4)
        if op == 0: b[pos] = rng.randrange(256)
        elif op == 1: del b[pos:pos + rng.randint(1, 40)]
        elif op == 2: b[pos:pos] = rng.choice(junk)
        else:
            end = min(len(b), pos + rng.randint(1, 200)); b[pos:pos] = b[pos:end]
    p = subprocess.run([cli], input=bytes(b), capture_output=True)
    codes[p.returncode] = codes.get(p.returncode, 0) + 1
    if p.returncode not in (0, 1):
        print('mutant', i, 'crashed with', p.returncode, p.stderr[-2000:].decode(errors='replace')); bad += 1
        break
print(f'{n} byte-level mutants: exit codes {dict(sorted(codes.items()))} (0 response, 1 clean error)')
sys.exit(1 if bad else 0)
PY
