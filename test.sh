#!/usr/bin/env bash
# Runs every test PipelineSim has: restores local tools, builds the solution, runs all test projects and the
# notebooks, and prints one closing line "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

# A merge conflict committed by mistake fails the run before anything is built.
if git rev-parse --git-dir >/dev/null 2>&1 && git grep -nE '^(<<<<<<< |>>>>>>> )' -- . ':!*.ipynb' ; then
    echo "test.sh: merge conflict markers are committed (above)" >&2
    exit 1
fi

# The OpenMetrics tests import a run with promtool and query it in a real Prometheus: both come from Debian's
# prometheus package, installed here when missing (the tests fail rather than skip without them).
if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
    echo "test.sh: installing Debian's prometheus package (promtool and the server) for the OpenMetrics tests"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

dotnet tool restore >/dev/null
dotnet build PipelineSim.sln -c Release -nologo -clp:ErrorsOnly

log=$(mktemp)
notebook_out=$(mktemp -d)
trap 'rm -rf "$log" "$notebook_out"' EXIT
status=0
dotnet test PipelineSim.sln -c Release --no-build -nologo --filter 'FullyQualifiedName!~PipelineSim.Live.Tests&Category!=Live' 2>&1 \
    | tee "$log" || status=$?
# The live tests run real servers on real time: they run afterwards, alone, so simulation tests busy on every core do
# not delay their timers and connections (on a 2-core machine that made phase and latency checks fail now and then).
# Outside the live project they carry the trait Category=Live (the documentation's commands, some of which run live).
dotnet test tests/PipelineSim.Live.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
dotnet test tests/PipelineSim.Cli.Tests -c Release --no-build -nologo --filter 'Category=Live' 2>&1 | tee -a "$log" || status=$?

# Notebooks: each runs headless against the Release build, from notebooks/ (their paths are relative to it), and
# counts as one test. dotnet repl exits non-zero when a cell throws; the cells throw when a run does not show what
# they claim. Outputs go to a temporary directory, never into the repository.
notebooks_passed=0
notebooks_failed=0
for notebook in notebooks/*.ipynb; do
    name=$(basename "$notebook" .ipynb)
    [[ $name == *.out ]] && continue
    if (cd notebooks && dotnet repl --run "$name.ipynb" --exit-after-run --output-path "$notebook_out/$name.out.ipynb") \
        >"$notebook_out/$name.log" 2>&1; then
        echo "Passed notebook $notebook"
        notebooks_passed=$((notebooks_passed + 1))
    else
        echo "Failed notebook $notebook:"
        grep -h '"evalue"' "$notebook_out/$name.out.ipynb" 2>/dev/null | cut -c1-400 || true
        tail -n 20 "$notebook_out/$name.log"
        notebooks_failed=$((notebooks_failed + 1))
        status=1
    fi
done

# VSTest prints one line per test assembly: "Passed!  - Failed: 0, Passed: 42, Skipped: 0, Total: 42, ...".
awk -v notebooks_passed="$notebooks_passed" -v notebooks_failed="$notebooks_failed" \
    '/(Passed|Failed)! +- +Failed:/ {
        gsub(",", "");
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:")  failed  += $(i + 1);
            if ($i == "Passed:")  passed  += $(i + 1);
            if ($i == "Skipped:") skipped += $(i + 1);
        }
     }
     END {
        printf "Tests: %d passed, %d failed, %d skipped\n", passed + notebooks_passed, failed + notebooks_failed, skipped
     }' "$log"
exit "$status"
