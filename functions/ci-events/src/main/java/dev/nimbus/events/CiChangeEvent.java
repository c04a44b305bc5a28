package dev.nimbus.events;

import dev.nimbus.cmdb.ChangeKind;
import dev.nimbus.model.Attribution;
import dev.nimbus.model.ConfigurationItem;
import dev.nimbus.model.PropertyChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One change of one CI, as published to the bus and to webhooks: the CI as it is now, its
 * configuration state id, the field-level diff, when the change was captured and who made it.
 *
 * <p>{@link #eventId()} is derived from the CI id, the configuration state id and the kind (see
 * {@link #idFor}), so the same change always carries the same id, however often the stream delivers
 * it and whichever path (Lambda, local run, failure replay) publishes it.
 */
public record CiChangeEvent(
    String eventId,
    ChangeKind kind,
    ConfigurationItem ci,
    long configurationStateId,
    List<PropertyChange> changedProperties,
    Instant captureTime,
    Attribution attribution) {

  public CiChangeEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(ci, "ci");
    Objects.requireNonNull(captureTime, "captureTime");
    changedProperties = changedProperties == null ? List.of() : List.copyOf(changedProperties);
    attribution = attribution == null ? Attribution.UNKNOWN : attribution;
  }

  /** An event whose id is derived from the change it describes. */
  public static CiChangeEvent of(
      ChangeKind kind,
      ConfigurationItem ci,
      long configurationStateId,
      List<PropertyChange> changedProperties,
      Instant captureTime,
      Attribution attribution) {
    return new CiChangeEvent(
        idFor(ci, configurationStateId, kind),
        kind,
        ci,
        configurationStateId,
        changedProperties,
        captureTime,
        attribution);
  }

  /**
   * The stable event id of a change: a name-based UUID over CI id, configuration state id and kind.
   * The CMDB writes each configuration state of a CI exactly once, so this names one change; unlike
   * the stream record's own {@code eventID} it is the same for every publisher of that change and a
   * consumer can recompute it from the event itself.
   */
  public static String idFor(ConfigurationItem ci, long configurationStateId, ChangeKind kind) {
    String name = "nimbus.cmdb/" + ci.id().value() + "/" + configurationStateId + "/" + kind.name();
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The tenant the CI belongs to. */
  public String tenantId() {
    return ci.connection().tenantId();
  }

  /**
   * One line for a terminal: {@code UPDATED qemu/101 web-1: attributes.memory 2048 -> 4096 by
   * alice@pve (UPID:...)}.
   */
  public String summary() {
    StringBuilder out =
        new StringBuilder().append(kind).append(' ').append(ci.nativeKey()).append(' ');
    out.append(ci.name());
    if (!changedProperties.isEmpty()) {
      out.append(": ")
          .append(
              changedProperties.stream()
                  .map(
                      c ->
                          c.path()
                              + " "
                              + shortValue(c.previousValue())
                              + " -> "
                              + shortValue(c.updatedValue()))
                  .collect(Collectors.joining(", ")));
    }
    if (attribution.user() != null) {
      out.append(" by ").append(attribution.user());
    }
    if (attribution.taskId() != null) {
      out.append(" (").append(attribution.taskId()).append(')');
    }
    return out.toString();
  }

  private static String shortValue(Object value) {
    if (value == null) {
      return "(none)";
    }
    String text = String.valueOf(value);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  @Override
  public String toString() {
    return "CiChangeEvent[" + eventId + " " + summary() + "]";
  }
}
