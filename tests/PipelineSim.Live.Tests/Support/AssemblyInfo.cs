// The tests measure real time on a shared two-core machine: run them one at a time so timings stay honest.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
