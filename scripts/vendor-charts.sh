#!/usr/bin/env bash
# How src/yardstick/web/layout/static/yardstick/vendor/ was made (run by hand to upgrade; the
# files are committed, so neither the site nor its setup needs npm or the internet).
# vega, vega-lite and vega-embed are their published UMD builds; vega-interpreter (the
# CSP-compliant expression evaluator, so the site needs no 'unsafe-eval') is bundled with esbuild.
set -euo pipefail
out=$(cd "$(dirname "$0")/.." && pwd)/src/yardstick/web/layout/static/yardstick/vendor
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent vega@6.4.0 vega-lite@6.4.3 vega-embed@7.3.0 vega-interpreter@2.3.2 esbuild
printf 'import { expressionInterpreter } from "vega-interpreter";\nwindow.vegaExpressionInterpreter = expressionInterpreter;\n' > entry.js
npx esbuild entry.js --bundle --minify --format=iife --outfile=vega-interpreter.min.js
cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
   node_modules/vega-embed/build/vega-embed.min.js vega-interpreter.min.js "$out/"
for p in vega vega-lite vega-embed vega-interpreter; do cp "node_modules/$p/LICENSE" "$out/LICENSE-$p"; done
# No source maps are shipped: a sourceMappingURL comment would make collectstatic (whitenoise's
# manifest storage) look for the .map file and fail.
sed -i '/^\/\/# sourceMappingURL=/d' "$out"/*.js
echo "vendored into $out"
