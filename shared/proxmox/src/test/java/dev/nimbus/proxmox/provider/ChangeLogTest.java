package dev.nimbus.proxmox.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nimbus.model.Attribution;
import dev.nimbus.model.PropertyChange;
import dev.nimbus.proxmox.client.model.ClusterLogEntry;
import dev.nimbus.proxmox.client.model.Task;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Which task or cluster log line a guest's change is credited to (issue: attribution). */
class ChangeLogTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Task task(String type, int vmid, String user, long start, long end) {
    String upid =
        "UPID:pve1:0000%04X:0012F00D:%08X:%s:%d:%s:"
            .formatted(
                Math.abs((type + vmid + start).hashCode()) % 0xFFFF, start, type, vmid, user);
    return Task.from(
        JSON.readTree(
            "{\"upid\":\"%s\",\"starttime\":%d,\"endtime\":%d}".formatted(upid, start, end)));
  }

  private static ClusterLogEntry line(long uid, long time, String user, String msg) {
    return ClusterLogEntry.from(
        JSON.readTree(
            "{\"uid\":%d,\"time\":%d,\"node\":\"pve1\",\"user\":\"%s\",\"tag\":\"pvedaemon\",\"pid\":42,\"pri\":6,\"msg\":\"%s\"}"
                .formatted(uid, time, user, msg)));
  }

  private static final PropertyChange MEMORY =
      new PropertyChange("attributes.memoryMiB", 4096L, 8192L, PropertyChange.Kind.UPDATE);
  private static final PropertyChange POWER =
      new PropertyChange("attributes.powerState", "stopped", "running", PropertyChange.Kind.UPDATE);

  @Test
  void aConfigChangeIsNotCreditedToALaterConsoleSessionOrBackup() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(
            task("qmconfig", 101, "alice@pve", 1_700_000_100, 1_700_000_101),
            task("vncproxy", 101, "mallory@pve", 1_700_000_200, 1_700_000_900),
            task("vzdump", 101, "backup@pam", 1_700_000_300, 1_700_000_400),
            task("qmagent", 101, "root@pam", 1_700_000_500, 1_700_000_501),
            task("spiceproxy", 101, "eve@pve", 1_700_000_600, 1_700_000_601),
            task("termproxy", 101, "eve@pve", 1_700_000_700, 1_700_000_701)),
        1_700_000_000,
        Set.of());

    Attribution who = log.credit(101, List.of(MEMORY), false, false);

    assertThat(who.user()).isEqualTo("alice@pve");
    assertThat(who.taskType()).isEqualTo("qmconfig");
    assertThat(log.touched()).containsExactly(101);
  }

  @Test
  void consolesAndBackupsAloneTouchNothing() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(
            task("vncproxy", 102, "alice@pve", 1_700_000_200, 1_700_000_900),
            task("vzdump", 103, "backup@pam", 1_700_000_300, 1_700_000_400)),
        1_700_000_000,
        Set.of());

    assertThat(log.touched()).isEmpty();
    assertThat(log.credit(102, List.of(MEMORY), false, false)).isNull();
  }

  @Test
  void aPowerChangeGoesToThePowerTaskAndAConfigChangeNotToAStart() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(
            task("qmconfig", 101, "alice@pve", 1_700_000_100, 1_700_000_101),
            task("qmstart", 101, "bob@pve", 1_700_000_200, 1_700_000_205)),
        1_700_000_000,
        Set.of());

    assertThat(log.credit(101, List.of(POWER), false, false).user()).isEqualTo("bob@pve");
    assertThat(log.credit(101, List.of(MEMORY, POWER), false, false).user()).isEqualTo("alice@pve");
  }

  @Test
  void aRestartGetsTheCreditForAppliedPendingChangesOnlyWhenThereWereAny() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(task("qmreboot", 101, "bob@pve", 1_700_000_200, 1_700_000_260)),
        1_700_000_000,
        Set.of());

    assertThat(log.credit(101, List.of(MEMORY), true, false).taskType()).isEqualTo("qmreboot");
    assertThat(log.credit(101, List.of(MEMORY), false, false)).isNull();
  }

  @Test
  void aSynchronousEditIsFoundAndCreditedFromTheClusterLogWhateverTheAnswersOrder() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(task("qmconfig", 101, "alice@pve", 1_700_000_100, 1_700_000_101)),
        1_700_000_000,
        Set.of());
    log.addLog(
        List.of(
            line(9, 1_700_000_500, "carol@pve", "update VM 101: -memory 8192"),
            line(3, 1_700_000_300, "bob@pve", "update VM 101: -cores 4"),
            line(
                4,
                1_700_000_400,
                "dave@pve",
                "starting task UPID:pve1:x:y:z:vncproxy:101:dave@pve:"),
            line(5, 1_700_000_450, "erin@pve", "update VM 205: -name db")),
        1_700_000_000,
        Set.of());

    Attribution who = log.credit(101, List.of(MEMORY), false, false);
    assertThat(who.user()).isEqualTo("carol@pve");
    assertThat(who.taskId()).isNull();
    assertThat(log.touched()).containsExactlyInAnyOrder(101, 205);
  }

  @Test
  void entriesOfTheCursorsSecondAlreadySeenAreNotTakenAgain() {
    List<ClusterLogEntry> lines =
        List.of(
            line(1, 1_700_000_100, "alice@pve", "update VM 101: -memory 8192"),
            line(2, 1_700_000_200, "bob@pve", "update VM 102: -memory 8192"));
    var cursor = ChangeLog.logCursor(lines, 0);
    assertThat(cursor.getKey()).isEqualTo(1_700_000_200L);

    ChangeLog next = new ChangeLog();
    next.addLog(
        List.of(lines.get(1), line(3, 1_700_000_200, "carol@pve", "update VM 103: -cores 2")),
        cursor.getKey(),
        cursor.getValue());
    assertThat(next.touched()).containsExactly(103);

    List<Task> tasks =
        List.of(
            task("qmconfig", 101, "alice@pve", 1_700_000_100, 1_700_000_101),
            task("qmstart", 102, "bob@pve", 1_700_000_200, 1_700_000_400));
    var taskCursor = ChangeLog.taskCursor(tasks, 1_700_000_000);
    assertThat(taskCursor.getKey()).isEqualTo(1_700_000_400L);
    ChangeLog again = new ChangeLog();
    again.addTasks(tasks, taskCursor.getKey(), taskCursor.getValue());
    assertThat(again.touched()).isEmpty();
  }

  @Test
  void aDestroyedGuestIsCreditedToTheTaskThatDestroyedIt() {
    ChangeLog log = new ChangeLog();
    log.addTasks(
        List.of(task("qmdestroy", 150, "alice@pve", 1_700_000_100, 1_700_000_110)),
        1_700_000_000,
        Set.of());

    assertThat(log.destroyedBy(150).user()).isEqualTo("alice@pve");
    assertThat(log.destroyedBy(151)).isNull();
  }
}
