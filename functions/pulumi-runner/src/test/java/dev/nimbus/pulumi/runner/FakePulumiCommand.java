package dev.nimbus.pulumi.runner;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.CliErrors;
import com.pulumi.automation.CommandResult;
import com.pulumi.automation.CommandRunOptions;
import com.pulumi.automation.PulumiCommand;
import com.pulumi.automation.Version;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.serialization.internal.LocalSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Automation API's command seam, faked: records every invocation (arguments, extra environment,
 * standard input) and answers as the CLI would, replaying a recorded engine event stream (JSON
 * lines, the CLI's event-log format, parsed by the API's own serializer) for preview, up and
 * destroy. Stacks exist once {@code stack init} ran; a lock can be held to make the next update
 * fail the way the S3 backend refuses a concurrent one.
 */
final class FakePulumiCommand implements PulumiCommand {
  record Invocation(List<String> args, Map<String, String> env, String stdin) {}

  final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  final Set<String> stacks = new HashSet<>();
  final Map<String, String> eventStreams;
  String lockedBy;

  /** Called while an engine command (preview, up, destroy) runs, before its events. */
  java.util.function.Consumer<Invocation> duringEngineCommand = invocation -> {};

  /**
   * @param eventStreams command name (preview, up, destroy) to a resource under engine-events/
   */
  FakePulumiCommand(Map<String, String> eventStreams) {
    this.eventStreams = eventStreams;
  }

  @Override
  public Version version() {
    return Version.of(3, 209, 0);
  }

  @Override
  public CommandResult run(List<String> args, CommandRunOptions options)
      throws AutomationException {
    invocations.add(
        new Invocation(
            List.copyOf(args), Map.copyOf(options.additionalEnv()), options.standardInput()));
    String cmd = args.getFirst();
    if (cmd.equals("stack") && args.get(1).equals("select")) {
      String name = args.get(args.indexOf("--stack") + 1);
      if (!stacks.contains(name)) {
        throw CliErrors.of(
            new CommandResult(255, "", "error: no stack named '" + name + "' found\n"));
      }
      return ok("");
    }
    if (cmd.equals("stack") && args.get(1).equals("init")) {
      stacks.add(args.get(2));
      return ok("Created stack '" + args.get(2) + "'\n");
    }
    if (cmd.equals("stack") && args.get(1).equals("output")) {
      return ok("{}");
    }
    if (cmd.equals("stack") && args.get(1).equals("history")) {
      return ok(
          "[{\"version\":1,\"kind\":\"update\",\"startTime\":\"2026-11-30T07:00:00Z\",\"message\":\"\","
              + "\"environment\":{},\"config\":{},\"result\":\"succeeded\","
              + "\"endTime\":\"2026-11-30T07:01:00Z\",\"resourceChanges\":{\"create\":2}}]");
    }
    if (cmd.equals("preview") || cmd.equals("up") || cmd.equals("destroy")) {
      if (lockedBy != null && !cmd.equals("preview")) {
        throw CliErrors.of(
            new CommandResult(
                255,
                "",
                "error: the stack is currently locked by 1 lock(s). Either wait for the other"
                    + " process(es) to end or delete the lock file with `pulumi cancel`.\n"
                    + "  s3://nimbus-state/stacks/.pulumi/locks/organization/nimbus-vm/acme.lab/"
                    + lockedBy
                    + ".json: created by "
                    + lockedBy
                    + "\n"));
      }
      duringEngineCommand.accept(invocations.getLast());
      replay(eventStreams.get(cmd), options);
      return ok("");
    }
    throw new AssertionError("unexpected pulumi invocation: " + args);
  }

  private static void replay(String resource, CommandRunOptions options) {
    if (resource == null || options.onEngineEvent() == null) {
      return;
    }
    var serializer = new LocalSerializer();
    try (InputStream in =
        FakePulumiCommand.class.getResourceAsStream("/engine-events/" + resource)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          options.onEngineEvent().accept(serializer.deserializeJson(line, EngineEvent.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  List<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    invocations.forEach(i -> out.add(i.args()));
    return out;
  }
}
