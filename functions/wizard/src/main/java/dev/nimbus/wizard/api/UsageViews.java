package dev.nimbus.wizard.api;

import dev.nimbus.deployments.DeploymentRun;
import dev.nimbus.deployments.ResourceStep;
import dev.nimbus.deployments.drift.Drift;
import dev.nimbus.deployments.drift.DriftProperty;
import dev.nimbus.infra.programs.DeploymentProgram;
import dev.nimbus.infra.programs.ProgramInput;
import dev.nimbus.model.PermissionRequirement;
import dev.nimbus.usage.Cost;
import dev.nimbus.usage.RateCard;
import dev.nimbus.usage.ShowbackReport;
import dev.nimbus.usage.ShowbackService;
import dev.nimbus.usage.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shapes of the usage, cost, deployment and drift answers (functions/wizard/README.md).
 * Money is a decimal string, never a binary float; a run's steps leave out resource outputs (the
 * engine masks secrets, but the answer needs no more than the diff).
 */
final class UsageViews {
  private UsageViews() {}

  static Map<String, Object> report(ShowbackReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", r.subject());
    m.put("from", text(r.from()));
    m.put("to", text(r.to()));
    m.put("usage", usage(r.usage()));
    Map<String, Object> cost = new TreeMap<>();
    r.cost().forEach((currency, c) -> cost.put(currency, cost(c)));
    m.put("cost", cost);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ShowbackReport.Row row : r.rows()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("start", text(row.start()));
      x.put("connectionId", row.connectionId());
      x.put("usage", usage(row.usage()));
      x.put("cost", cost(row.cost()));
      rows.add(x);
    }
    m.put("rows", rows);
    m.put("unpricedConnections", r.unpricedConnections());
    return m;
  }

  static Map<String, Object> usage(UsageTotals u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runningHours", u.runningSeconds() / 3600.0);
    m.put("vcpuHoursAllocated", u.vcpuHoursAllocated());
    m.put("vcpuHoursUsed", u.vcpuHoursUsed());
    m.put("memoryGibHoursAllocated", u.memoryGibHoursAllocated());
    m.put("memoryGibHoursUsed", u.memoryGibHoursUsed());
    m.put("diskGbHoursAllocated", u.diskGbHoursAllocated());
    m.put("diskGbHoursUsed", u.diskGbHoursUsed());
    m.put("networkInBytes", u.networkInBytes());
    m.put("networkOutBytes", u.networkOutBytes());
    m.put("diskReadBytes", u.diskReadBytes());
    m.put("diskWriteBytes", u.diskWriteBytes());
    return m;
  }

  static Map<String, Object> cost(Cost c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpu", money(c.cpu()));
    m.put("memory", money(c.memory()));
    m.put("disk", money(c.disk()));
    m.put("network", money(c.network()));
    m.put("total", money(c.total()));
    return m;
  }

  static Map<String, Object> idle(ShowbackService.IdleReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", r.node());
    m.put("capacityVcpuHours", r.capacityVcpuHours());
    m.put("allocatedVcpuHours", r.allocatedVcpuHours());
    m.put("capacityGibHours", r.capacityGibHours());
    m.put("allocatedGibHours", r.allocatedGibHours());
    m.put("cost", cost(r.cost()));
    m.put("currency", r.currency());
    return m;
  }

  static Map<String, Object> rateCard(RateCard c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("currency", c.currency());
    m.put("base", rates(c.base()));
    m.put("nodeClasses", new TreeMap<>(c.nodeClasses()));
    Map<String, Object> classes = new TreeMap<>();
    c.classRates().forEach((k, v) -> classes.put(k, rates(v)));
    m.put("classRates", classes);
    m.put("version", c.version());
    m.put("updatedAt", text(c.updatedAt()));
    return m;
  }

  private static Map<String, Object> rates(RateCard.Rates r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vcpuHour", money(r.vcpuHour()));
    m.put("memoryGibHour", money(r.memoryGibHour()));
    Map<String, Object> storage = new TreeMap<>();
    r.storageGbMonth().forEach((k, v) -> storage.put(k, money(v)));
    m.put("storageGbMonth", storage);
    m.put("networkGb", money(r.networkGb()));
    return m;
  }

  static Map<String, Object> programs(List<DeploymentProgram> programs) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (DeploymentProgram p : programs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("description", p.description());
      // One entry per ACL path with its privileges, as the permission checklist shows them.
      Map<String, List<String>> byPath = new TreeMap<>();
      for (PermissionRequirement r : p.permissions()) {
        byPath.computeIfAbsent(r.path(), k -> new ArrayList<>()).add(r.privilege());
      }
      List<Map<String, Object>> permissions = new ArrayList<>();
      byPath.forEach(
          (path, privileges) ->
              permissions.add(
                  Map.of("path", path, "privileges", privileges.stream().sorted().toList())));
      m.put("permissions", permissions);
      // In the program's order: the SPA builds its form from this list as it comes.
      List<Map<String, Object>> inputs = new ArrayList<>();
      for (ProgramInput i : p.inputs()) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", i.name());
        in.put("type", i.type());
        in.put("required", i.required());
        in.put("description", i.description());
        inputs.add(in);
      }
      m.put("inputs", inputs);
      items.add(m);
    }
    return Map.of("items", items);
  }

  static Map<String, Object> run(DeploymentRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", r.runId());
    m.put("program", r.program());
    m.put("stack", r.stack());
    m.put("operation", r.operation() == null ? null : r.operation().name());
    m.put("status", r.status() == null ? null : r.status().name());
    m.put("startedAt", text(r.startedAt()));
    m.put("finishedAt", text(r.finishedAt()));
    m.put("inputs", r.inputs());
    m.put("inputsHash", r.inputsHash());
    List<Map<String, Object>> steps = new ArrayList<>();
    for (ResourceStep s : r.steps()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("op", s.op());
      x.put("urn", s.urn());
      x.put("type", s.type());
      x.put("diffs", s.diffs());
      x.put("detailedDiff", s.detailedDiff());
      x.put("done", s.done());
      x.put("failed", s.failed());
      steps.add(x);
    }
    m.put("steps", steps);
    m.put("summary", r.summary());
    m.put("errors", r.errors());
    m.put("linkedCis", r.linkedCis());
    return m;
  }

  static Map<String, Object> drift(Drift d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stack", d.stack());
    m.put("nativeKey", d.nativeKey());
    m.put("urn", d.urn());
    m.put("resourceType", d.resourceType());
    m.put("semanticType", d.semanticType());
    m.put("driftClass", d.driftClass().name());
    List<Map<String, Object>> props = new ArrayList<>();
    for (DriftProperty p : d.properties()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", p.path());
      x.put("previous", p.previous());
      x.put("current", p.current());
      x.put("managed", p.managed());
      x.put("source", p.source());
      props.add(x);
    }
    m.put("properties", props);
    m.put("author", d.author());
    m.put("taskId", d.taskId());
    m.put("recommendation", d.recommendation());
    m.put("status", d.status().name());
    m.put("detectedAt", text(d.detectedAt()));
    m.put("resolvedAt", text(d.resolvedAt()));
    return m;
  }

  private static String money(BigDecimal v) {
    return v == null ? null : v.toPlainString();
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
