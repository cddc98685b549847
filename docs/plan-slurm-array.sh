#!/usr/bin/env bash
# A capacity-planning sweep as a Slurm job array: task i of n runs `pipelinesim plan --shard i/n` and writes its
# partial results under results/shard-i; a merge job, held until every task succeeded, writes the plan.
#
#   jobid=$(sbatch --parsable docs/plan-slurm-array.sh)
#   sbatch --dependency=afterok:$jobid --wrap "dotnet pipelinesim/pipelinesim.dll plan merge results/shard-* --out results/plan"
#
# pipelinesim/ holds `dotnet publish src/PipelineSim.Cli -c Release -o pipelinesim` on a shared file system; the
# .NET 10 runtime must be on the nodes (module load dotnet, or a container).
#SBATCH --job-name=pipelinesim-plan
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=results/slurm-%A_%a.out
set -euo pipefail

# SLURM_ARRAY_TASK_COUNT is the number of tasks in the array (8 for --array=0-7): the n of --shard i/n.
dotnet pipelinesim/pipelinesim.dll plan scenarios/conn-limit-saturated.yaml --receiver r \
    --conn-limit 8192:32768:2048 --replications 5 --slo "delivered>=99.9%" --slo "p99<5s" \
    --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --parallel "${SLURM_CPUS_PER_TASK}" \
    --out "results/shard-${SLURM_ARRAY_TASK_ID}"
