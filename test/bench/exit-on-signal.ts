// Preloaded into profiled processes: SIGUSR2 ends them through process.exit, so --cpu-prof writes its profile
// (a process ended by SIGTERM's default action writes none).
process.on('SIGUSR2', () => process.exit(0));
