package dev.nimbus.reliability.tablefaults;

/**
 * What one or more scenario runs under a fault found. The targets are 0 for every column from
 * {@code cisLost} on; {@code failedAttempts} and {@code eventRedeliveries} are allowed (a failed
 * attempt is run again as the queue would; a redelivery carries the same event id) and reported.
 *
 * @param runs scenario runs (each: a first, a changed and an unchanged discovery run; a stream
 *     batch; a set of wizard writes)
 * @param faultsInjected faults the proxy injected
 * @param failedAttempts invocations that failed under the faults and were run again (a discovery
 *     message redelivered, a stream batch retried from its first failed record, a wizard request
 *     the user sends again)
 * @param cisLost CIs a fault-free reference has and the faulted connection does not
 * @param cisFalselyDeleted CIs marked deleted that the reference has live
 * @param cisFalselyRewritten CIs whose content, status or state id differs from the reference (or,
 *     after a failed attempt, from both the state before it and the reference)
 * @param historyGapsOrDuplicates CIs whose history state ids are not exactly 1..n
 * @param eventsLost history items (CI changes) without a published event
 * @param eventsDoubled changes published under more than one event id
 * @param eventRedeliveries events published more than once with the same event id (at-least-once,
 *     documented)
 * @param halfWritten wizard items half there: a connection without its encrypted token, a webhook
 *     without its encrypted signing secret
 * @param wrongAnswers wizard answers that disagree with what was stored (a success with nothing
 *     stored, an error with a changed item)
 */
public record Tally(
    int runs,
    long faultsInjected,
    int failedAttempts,
    int cisLost,
    int cisFalselyDeleted,
    int cisFalselyRewritten,
    int historyGapsOrDuplicates,
    int eventsLost,
    int eventsDoubled,
    int eventRedeliveries,
    int halfWritten,
    int wrongAnswers) {

  public static final Tally ZERO = new Tally(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  public Tally plus(Tally o) {
    return new Tally(
        runs + o.runs,
        faultsInjected + o.faultsInjected,
        failedAttempts + o.failedAttempts,
        cisLost + o.cisLost,
        cisFalselyDeleted + o.cisFalselyDeleted,
        cisFalselyRewritten + o.cisFalselyRewritten,
        historyGapsOrDuplicates + o.historyGapsOrDuplicates,
        eventsLost + o.eventsLost,
        eventsDoubled + o.eventsDoubled,
        eventRedeliveries + o.eventRedeliveries,
        halfWritten + o.halfWritten,
        wrongAnswers + o.wrongAnswers);
  }

  /** The same counts under another number of runs. */
  public Tally withRuns(int n) {
    return new Tally(
        n,
        faultsInjected,
        failedAttempts,
        cisLost,
        cisFalselyDeleted,
        cisFalselyRewritten,
        historyGapsOrDuplicates,
        eventsLost,
        eventsDoubled,
        eventRedeliveries,
        halfWritten,
        wrongAnswers);
  }

  /** Every invariant held: nothing lost, falsely deleted or rewritten, no gap, no double. */
  public boolean clean() {
    return cisLost == 0
        && cisFalselyDeleted == 0
        && cisFalselyRewritten == 0
        && historyGapsOrDuplicates == 0
        && eventsLost == 0
        && eventsDoubled == 0
        && halfWritten == 0
        && wrongAnswers == 0;
  }
}
