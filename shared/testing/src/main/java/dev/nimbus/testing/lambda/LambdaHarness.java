package dev.nimbus.testing.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * One function bean started the way the Lambda runtime starts it: Spring Cloud Function's {@link
 * FunctionInvoker} with {@code MAIN_CLASS} naming the application, fed a Lambda event as JSON bytes
 * and answering with the bytes the runtime would return. The integration tests and the local run
 * both use it, so what they exercise is the deployed entry point, event deserialisation included.
 *
 * <p>The Spring context starts once, in {@link Builder#start()}, and serves every later {@link
 * #invoke} as a warm Lambda container does. {@code FunctionInvoker} reads its configuration only
 * from environment variables and system properties, so the harness sets the given properties as
 * system properties and keeps them while it is open (the SDK reads credentials from them lazily, at
 * the first call); {@link #close()} restores what was there before. Harnesses therefore must not
 * run concurrently in one JVM (JUnit runs test classes one after another unless told otherwise).
 *
 * <p>FunctionInvoker does not expose the context it starts, so it is not closed: like a Lambda
 * container it lives until the JVM ends.
 */
public final class LambdaHarness implements AutoCloseable {
  /** The dummy credentials of the AWS emulators. */
  public static final String EMULATOR_ACCESS_KEY = "test";

  private final String function;
  private final Map<String, String> previous;
  private final FunctionInvoker invoker;
  private boolean closed;

  private LambdaHarness(String function, Map<String, String> previous, FunctionInvoker invoker) {
    this.function = function;
    this.previous = previous;
    this.invoker = invoker;
  }

  /** A harness for a function bean of the Spring Boot application {@code application}. */
  public static Builder forApplication(Class<?> application) {
    return new Builder(application);
  }

  /** The function bean's name ({@code spring.cloud.function.definition}). */
  public String function() {
    return function;
  }

  /**
   * Hands {@code event} (a Lambda event as JSON) to the function and returns its answer as JSON.
   *
   * @throws UncheckedIOException when the invoker cannot read the event or write the answer
   */
  public byte[] invoke(byte[] event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("the harness of " + function + " is closed");
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    try {
      // No Lambda Context exists outside the runtime; the adapter accepts null and logs a warning.
      invoker.handleRequest(new ByteArrayInputStream(event), answer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(function + " failed to handle the event", e);
    }
    return answer.toByteArray();
  }

  /** {@link #invoke(byte[])} with UTF-8 text on both sides. */
  public String invoke(String event) {
    return new String(invoke(event.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /**
   * Invokes the function with an event fixture read from the class path ({@code events/x.json}).
   */
  public String invokeFixture(String resource) {
    return new String(invoke(fixture(resource)), StandardCharsets.UTF_8);
  }

  /** The bytes of a class-path resource, such as an event fixture. */
  public static byte[] fixture(String resource) {
    String name = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LambdaHarness.class.getClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(name + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Restores the system properties the harness set. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    previous.forEach(
        (key, value) -> {
          if (value == null) {
            System.clearProperty(key);
          } else {
            System.setProperty(key, value);
          }
        });
  }

  /** What the Lambda environment would give the function. */
  public static final class Builder {
    private final Class<?> application;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String function;

    private Builder(Class<?> application) {
      this.application = Objects.requireNonNull(application, "application");
    }

    /** The function bean to invoke, as {@code SPRING_CLOUD_FUNCTION_DEFINITION} names it. */
    public Builder function(String definition) {
      this.function = Objects.requireNonNull(definition, "definition");
      return this;
    }

    /**
     * One configuration value, as the function's environment variable ({@code TABLE_NAME}) or a
     * Spring property ({@code nimbus.events.table-name}); both reach the application.
     */
    public Builder property(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** Several configuration values. */
    public Builder properties(Map<String, String> values) {
      values.forEach(this::property);
      return this;
    }

    /**
     * The AWS emulator the SDK clients talk to: endpoint, region and the emulators' dummy
     * credentials, as the SDK's own system properties.
     */
    public Builder awsEmulator(URI endpoint, String region) {
      property("aws.endpointUrl", endpoint.toString());
      property("aws.region", region);
      property("aws.accessKeyId", EMULATOR_ACCESS_KEY);
      property("aws.secretAccessKey", EMULATOR_ACCESS_KEY);
      return this;
    }

    /** Starts the application's Spring context and resolves the function bean. */
    public LambdaHarness start() {
      if (function == null) {
        throw new IllegalStateException("no function: call function(\"...\") first");
      }
      Map<String, String> all = new LinkedHashMap<>(properties);
      all.put("MAIN_CLASS", application.getName());
      all.put("spring.cloud.function.definition", function);
      Map<String, String> previous = new LinkedHashMap<>();
      all.forEach(
          (key, value) -> {
            previous.put(key, System.getProperty(key));
            System.setProperty(key, value);
          });
      try {
        return new LambdaHarness(function, previous, new FunctionInvoker(function));
      } catch (RuntimeException e) {
        previous.forEach(
            (key, value) -> {
              if (value == null) {
                System.clearProperty(key);
              } else {
                System.setProperty(key, value);
              }
            });
        throw e;
      }
    }
  }
}
