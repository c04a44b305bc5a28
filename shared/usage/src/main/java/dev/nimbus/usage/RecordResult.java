package dev.nimbus.usage;

import java.time.Instant;

/**
 * What one recording did: slices received, hour items and rollup items written, state items
 * written, hours that were complete but unchanged (nothing written), slices already covered.
 */
public record RecordResult(
    int slices,
    int hoursWritten,
    int hoursUnchanged,
    int rollupsWritten,
    int stateItemsWritten,
    int slicesAlreadyCovered,
    int slicesOverlapIgnored,
    Instant cursor) {}
