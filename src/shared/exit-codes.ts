/**
 * Exit code a service uses when it cannot start for a reason a restart will not fix (bad config, port taken),
 * so the launcher reports it instead of restarting in a loop. 78 is EX_CONFIG from sysexits.h.
 */
export const EXIT_CONFIG_ERROR = 78;
