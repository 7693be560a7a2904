// The services log JSON lines to standard output; in tests only the logging test reads them.
process.env.LOG_LEVEL ??= 'silent';
