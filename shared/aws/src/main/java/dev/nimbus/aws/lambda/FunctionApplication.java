package dev.nimbus.aws.lambda;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;

/**
 * The Spring application of a Lambda function: a Boot configuration with exactly the
 * auto-configurations a function run by {@code FunctionInvoker} needs (the function catalog and its
 * JSON mapping, the AWS adapter's event converters, property placeholders and configuration
 * properties), and no component scan: each application imports its configuration classes by name.
 *
 * <p>Why not {@code @SpringBootApplication}: full auto-configuration adds about 45 beans no
 * function uses (task executors and schedulers, HTTP client factories, the reactive connector,
 * RestClient and RestTemplate builders, SSL bundles with a file watcher, AOP's auto-proxy creator,
 * which inspects every bean). Each costs a condition evaluation, class loading and an instantiation
 * on every cold start, and a Lambda pays for cold starts. An allow-list also keeps a dependency
 * that brings a new auto-configuration from changing the function silently.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootConfiguration
@ImportAutoConfiguration({
  PropertyPlaceholderAutoConfiguration.class,
  ConfigurationPropertiesAutoConfiguration.class,
  LifecycleAutoConfiguration.class,
  ContextFunctionCatalogAutoConfiguration.class,
  AWSCompanionAutoConfiguration.class
})
public @interface FunctionApplication {}
