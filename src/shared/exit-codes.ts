/**
 * Exit code a service uses when it cannot start for a reason a restart will not fix (bad config, port taken),
 * so the launcher reports it instead of restarting in a loop. 78 is EX_CONFIG from sysexits.h.
 */
export const EXIT_CONFIG_ERROR = 78;

/**
 * Exit code of a service that was asked to stop the whole app (the page of a `--open-browser` launch closed):
 * the launcher then stops every service instead of restarting this one. Just past sysexits.h's range.
 */
export const EXIT_STOP_REQUESTED = 79;
