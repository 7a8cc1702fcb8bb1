/**
 * Retention figures the log buckets are built with and the evidence judges against, in a file of
 * their own so that the collector reads them without loading the provider bindings.
 */

/** Days an overwritten log object's previous version is kept (the evidence judges shorter as a failure). */
export const NONCURRENT_VERSION_DAYS = 30;
