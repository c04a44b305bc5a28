package dev.nimbus.model;

/**
 * The last cumulative counters seen for one resource (epoch second, uptime, network in/out, disk
 * read/write, NaN where absent), kept between samples so the next sample's first delta needs no
 * older data from the provider.
 */
public record CounterBaseline(
    long timestamp,
    double uptime,
    double networkIn,
    double networkOut,
    double diskRead,
    double diskWrite) {}
