#!/usr/bin/env bash
# Checks report.html in a real browser: installs Debian's chromium, runs a
# scenario, builds the report, takes a headless screenshot and checks the
# PNG is not blank. Not part of .ci/run (it needs apt and a browser).
#
#   scripts/check-report.sh [SCENARIO] [OUTDIR]
#
# SCENARIO defaults to `default`; OUTDIR (default target/check-report) keeps
# the output folder, report.html and screenshot.png for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-default}"
out="${2:-target/check-report}"

if ! command -v chromium >/dev/null 2>&1; then
    echo "== installing chromium (Debian package)"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium
fi

echo "== building backsim"
cargo build --release --quiet
bin=target/release/backsim

rm -rf "$out"
mkdir -p "$out"
echo "== running $scenario"
"$bin" run "$scenario" --runs 2000 --quiet --out "$out/results"
echo "== building the report"
"$bin" report "$out/results"
report="$(cd "$out/results" && pwd)/report.html"

# The report must be self-contained: no external files, scripts or network.
if grep -Eq '<script|<link|<img|src=|@import|url\(' "$report"; then
    echo "FAIL: report.html refers to something outside itself" >&2
    exit 1
fi

echo "== screenshot with headless chromium"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
shot="$(pwd)/$out/screenshot.png"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --screenshot="$shot" --window-size=1280,2400 "file://$report" 2>"$out/chromium.log" || {
    cat "$out/chromium.log" >&2
    echo "FAIL: chromium could not take the screenshot" >&2
    exit 1
}
# The plots lie below the first screen: a second screenshot of the report's
# plots section alone (same styles) checks that the inline SVG renders.
plots_page="$(pwd)/$out/plots-only.html"
python3 - "$report" "$plots_page" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
head = s[: s.index("<body>") + len("<body>")]
a, b = s.index('<h2 id="plots">'), s.index('<h2 id="reproduce">')
open(sys.argv[2], "w", encoding="utf-8").write(head + s[a:b] + "</body></html>\n")
PY
plots_shot="$(pwd)/$out/screenshot-plots.png"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --screenshot="$plots_shot" --window-size=1280,2400 "file://$plots_page" 2>>"$out/chromium.log"

for png in "$shot" "$plots_shot"; do
echo "== checking $png"
# Not blank: many colours and a fair share of non-white pixels (text and plots).
python3 - "$png" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        channels = {2: 3, 6: 4}[ctype]
        assert depth == 8, f"bit depth {depth}"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * channels
prev = bytearray(stride)
colours, dark = set(), 0
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b = prev[i]
        c = prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, w, 4):
            px = bytes(line[x * channels:x * channels + 3])
            colours.add(px)
            if min(px) < 200:
                dark += 1
share = dark / ((h // 4) * (w // 4))
print(f"{w}x{h}, {len(colours)} colours sampled, {share:.1%} non-white")
assert len(colours) > 50, "too few colours: blank or unstyled"
assert share > 0.03, "almost blank"
PY
done
echo "OK: $shot and $plots_shot"
