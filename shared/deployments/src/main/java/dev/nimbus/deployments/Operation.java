package dev.nimbus.deployments;

/** What a run does to its stack. */
public enum Operation {
  /** The diff per resource; changes nothing. */
  PREVIEW,
  /** Applies an approved preview of the same inputs. */
  UP,
  /** Deletes everything in the stack; needs the stack name as confirmation. */
  DESTROY
}
