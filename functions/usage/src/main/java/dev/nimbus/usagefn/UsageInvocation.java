package dev.nimbus.usagefn;

/**
 * The function's input: {@code {"tenantId", "connectionId", "from"?, "to"?}} samples one connection
 * (from its cursor to now, or the given range as a backfill); {@code {"schedule": true}} (the
 * EventBridge Scheduler's fixed input) samples every scheduled connection.
 */
public record UsageInvocation(
    Boolean schedule, String tenantId, String connectionId, String from, String to) {}
