// Nothing in the tests should depend on the developer's shell environment beyond the service URLs.
process.env.TZ = 'UTC';
