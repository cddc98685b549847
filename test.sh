#!/usr/bin/env bash
# Runs every test PipelineSim has: restores local tools, builds the solution, runs all test projects,
# and prints one closing line "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

# A merge conflict committed by mistake fails the run before anything is built.
if git rev-parse --git-dir >/dev/null 2>&1 && git grep -nE '^(<<<<<<< |>>>>>>> )' -- . ':!*.ipynb' ; then
    echo "test.sh: merge conflict markers are committed (above)" >&2
    exit 1
fi

dotnet tool restore >/dev/null
dotnet build PipelineSim.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test PipelineSim.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# VSTest prints one line per test assembly: "Passed!  - Failed: 0, Passed: 42, Skipped: 0, Total: 42, ...".
awk '/(Passed|Failed)! +- +Failed:/ {
        gsub(",", "");
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:")  failed  += $(i + 1);
            if ($i == "Passed:")  passed  += $(i + 1);
            if ($i == "Skipped:") skipped += $(i + 1);
        }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
