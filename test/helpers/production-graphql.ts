/*
 * Import first: graphql-js as the services run it in production (the Dockerfile and compose file
 * set NODE_ENV=production). Its development build checks every `instanceof` for a second copy of
 * the library; at the largest page, 78,000 links, that is 40% of immigration's time, so a test of
 * the timeouts would measure the development build rather than the service. Jest gives each test
 * file its own modules and its own copy of process.env, so no other file is affected.
 */
process.env.NODE_ENV = 'production';
