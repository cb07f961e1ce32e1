#!/usr/bin/env bash
# Adds the Apache-2.0 header to every Java source file of the repository that has none; idempotent.
#   tools/add-license-headers.sh          add the header where it is missing
#   tools/add-license-headers.sh --check  list files without it and exit 1 if there are any (for CI)
# Run it from anywhere inside the repository, on a clean tree, and commit the result on its own.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

HEADER='/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */'
MARK='Licensed under the Apache License, Version 2.0'

check=false
[[ "${1:-}" == "--check" ]] && check=true

missing=0
while IFS= read -r -d '' f; do
  if head -n 5 "$f" | grep -q "$MARK"; then
    continue
  fi
  missing=$((missing + 1))
  if $check; then
    echo "no licence header: $f"
  else
    tmp="$(mktemp)"
    { printf '%s\n' "$HEADER"; cat "$f"; } > "$tmp"
    cat "$tmp" > "$f"   # keeps the file's mode
    rm -f "$tmp"
  fi
done < <(git ls-files -z -- '*.java')

if $check; then
  [[ $missing -eq 0 ]] || { echo "$missing file(s) without the Apache-2.0 header (run tools/add-license-headers.sh)"; exit 1; }
  echo "every Java file carries the Apache-2.0 header"
else
  echo "added the Apache-2.0 header to $missing file(s)"
fi
