/** A setting is missing or wrong: start-up stops with the message, which names the variable. */
export class ConfigError extends Error {}
