/** A setting is missing or malformed: the message names the variable and what it must be. */
export class ConfigError extends Error {}
