package com.pulumi.automation;

/**
 * Test access to the real CLI wrapper's error classification, so the fake command turns a failed
 * result into exactly the exception {@link LocalPulumiCommand} would throw (stack not found, lock
 * held by another update, ...).
 */
public final class CliErrors {
  private CliErrors() {}

  public static CommandException of(CommandResult result) {
    return LocalPulumiCommand.createExceptionFromResult(result);
  }
}
