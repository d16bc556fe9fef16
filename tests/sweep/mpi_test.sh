#!/usr/bin/env bash
# snapsim sweep --mpi under mpirun -n 2 gives the same tables as the threaded
# sweep. (Registered only when snapsim was built with MPI.)
set -u
SNAPSIM=$1
DATA=$2
MPIRUN=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OMPI_MCA_rmaps_base_oversubscribe=1
"$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/threads" -q >/dev/null || { echo "FAIL threaded sweep"; exit 1; }
"$MPIRUN" --allow-run-as-root --oversubscribe -n 2 "$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/mpi" --mpi -q ||
  { echo "FAIL mpirun exit $?"; exit 1; }
cmp "$T/threads/results.csv" "$T/mpi/results.csv" || { echo "FAIL results.csv differs"; exit 1; }
cmp "$T/threads/aggregate.csv" "$T/mpi/aggregate.csv" || { echo "FAIL aggregate.csv differs"; exit 1; }
# Resume under MPI: nothing left to run, the same tables.
"$MPIRUN" --allow-run-as-root --oversubscribe -n 2 "$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/mpi" --mpi --resume -q |
  grep -q "0 run now, 12 already done" || { echo "FAIL mpi resume"; exit 1; }
cmp "$T/threads/results.csv" "$T/mpi/results.csv" || { echo "FAIL results.csv differs after resume"; exit 1; }
echo "mpi sweep: same tables as the threaded sweep"
