package dev.nimbus.wizard.api;

/** A handler's answer: the status and the value to write as JSON (null: no body). */
record Reply(int status, Object body) {
  static Reply ok(Object body) {
    return new Reply(200, body);
  }

  static Reply created(Object body) {
    return new Reply(201, body);
  }

  static Reply accepted(Object body) {
    return new Reply(202, body);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }
}
