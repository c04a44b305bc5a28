package dev.nimbus.infra.programs;

import com.pulumi.test.Mocks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Pulumi mocks that record every resource registration (type token, name, inputs, provider
 * reference) and answer with the inputs as outputs plus the ids a provider would compute.
 */
final class RecordingMocks implements Mocks {
  record Registered(String type, String name, Map<String, Object> inputs, String provider) {}

  final List<Registered> resources = new ArrayList<>();

  @Override
  public synchronized CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
    Map<String, Object> inputs = args.inputs == null ? Map.of() : args.inputs;
    resources.add(new Registered(args.type, args.name, inputs, args.provider));
    Map<String, Object> state = new LinkedHashMap<>(inputs);
    return CompletableFuture.completedFuture(
        ResourceResult.of(Optional.of(args.name + "-id"), state));
  }

  synchronized List<Registered> ofType(String type) {
    return resources.stream().filter(r -> type.equals(r.type())).toList();
  }

  synchronized Registered only(String type) {
    List<Registered> all = ofType(type);
    if (all.size() != 1) {
      throw new AssertionError(
          "expected one " + type + " but got " + all.size() + ": " + resources);
    }
    return all.getFirst();
  }
}
